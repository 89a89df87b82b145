using System.CommandLine;
using GraphCompiler.Runtime.Devices;

namespace GraphCompiler.Samples;

/// <summary>
/// The samples' <c>--device cpu|cuda|cuda:&lt;n&gt;|ilgpu-cpu</c>: where the model runs (the generated host
/// code, a CUDA GPU, or the GPU code path on ILGPU's CPU accelerator).
/// </summary>
public static class DeviceOption
{
    /// <summary>A new <c>--device</c> option, <c>cpu</c> by default.</summary>
    public static Option<Device> Create() => new("--device")
    {
        Description = $"Where the model runs: {Device.Choices} (ilgpu-cpu simulates the GPU path on the host, slowly)",
        DefaultValueFactory = _ => Device.Cpu,
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "cpu";
            if (Device.TryParse(text, out var device)) return device;
            result.AddError($"--device needs {Device.Choices}, got '{text}'");
            return Device.Cpu;
        },
    };
}
