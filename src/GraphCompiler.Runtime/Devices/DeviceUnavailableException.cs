namespace GraphCompiler.Runtime.Devices;

/// <summary>
/// The requested device does not exist on this machine (no CUDA driver, no GPU, an ordinal past the last
/// GPU). The message says which, in one line fit to print before a non-zero exit.
/// </summary>
public sealed class DeviceUnavailableException : Exception
{
    /// <summary>Creates the exception for <paramref name="device"/> with a one-line reason.</summary>
    public DeviceUnavailableException(Device device, string message)
        : base(message)
    {
        Device = device;
    }

    /// <summary>The device that was asked for.</summary>
    public Device Device { get; }
}
