namespace GraphCompiler.Runtime.Devices;

/// <summary>
/// A generated model that may keep its variables on an ILGPU device. <see cref="Checkpoints.Saver"/>
/// copies them to the host before a save and back after a restore, so one checkpoint file serves the
/// CPU path and every device.
/// </summary>
public interface IDeviceResident
{
    /// <summary>The model's device program; null when the model runs on the CPU.</summary>
    DeviceProgram? DeviceProgram { get; }
}
