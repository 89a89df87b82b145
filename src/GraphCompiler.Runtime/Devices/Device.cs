using System.Globalization;

namespace GraphCompiler.Runtime.Devices;

/// <summary>
/// A device a model runs on: <see cref="Cpu"/> (the host path), <see cref="Cuda"/> (an NVIDIA GPU) or
/// <see cref="IlgpuCpu"/> (the GPU path on ILGPU's CPU accelerator). Text forms, as samples take them in
/// <c>--device</c>: <c>cpu</c>, <c>cuda</c>, <c>cuda:1</c>, <c>ilgpu-cpu</c>.
/// </summary>
public sealed record Device
{
    private Device(DeviceKind kind, int ordinal)
    {
        Kind = kind;
        Ordinal = ordinal;
    }

    /// <summary>What kind of device this is.</summary>
    public DeviceKind Kind { get; }

    /// <summary>The CUDA device index (0 for the other kinds).</summary>
    public int Ordinal { get; }

    /// <summary>True where the model's state lives in ILGPU memory (CUDA and the CPU accelerator).</summary>
    public bool UsesIlgpu => Kind != DeviceKind.Cpu;

    /// <summary>The host: generated SIMD C# kernels over managed arrays.</summary>
    public static Device Cpu { get; } = new(DeviceKind.Cpu, 0);

    /// <summary>The CUDA GPU with this index (as <c>nvidia-smi</c> numbers them).</summary>
    public static Device Cuda(int ordinal = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(ordinal);
        return new Device(DeviceKind.Cuda, ordinal);
    }

    /// <summary>ILGPU's CPU accelerator, which runs the GPU kernels on the host (slowly): for tests and machines without a GPU.</summary>
    public static Device IlgpuCpu() => IlgpuCpuDevice;

    private static readonly Device IlgpuCpuDevice = new(DeviceKind.IlgpuCpu, 0);

    /// <summary>The accepted text forms, for help texts.</summary>
    public const string Choices = "cpu|cuda|cuda:<n>|ilgpu-cpu";

    /// <summary>Parses <c>cpu</c>, <c>cuda</c>, <c>cuda:&lt;n&gt;</c> or <c>ilgpu-cpu</c> (case-insensitive).</summary>
    /// <exception cref="FormatException">The text names no device; the message lists the choices.</exception>
    public static Device Parse(string text) =>
        TryParse(text, out var device) ? device : throw new FormatException($"unknown device '{text}': expected {Choices}");

    /// <summary>Parses like <see cref="Parse"/>, returning false instead of throwing.</summary>
    public static bool TryParse(string? text, out Device device)
    {
        device = Cpu;
        var t = text?.Trim().ToLowerInvariant();
        switch (t)
        {
            case "cpu": return true;
            case "cuda": device = Cuda(); return true;
            case "ilgpu-cpu": device = IlgpuCpu(); return true;
        }
        if (t is not null && t.StartsWith("cuda:", StringComparison.Ordinal)
            && int.TryParse(t.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out var ordinal))
        {
            device = Cuda(ordinal);
            return true;
        }
        return false;
    }

    /// <summary>The text form that <see cref="Parse"/> reads back.</summary>
    public override string ToString() => Kind switch
    {
        DeviceKind.Cpu => "cpu",
        DeviceKind.Cuda => Ordinal == 0 ? "cuda" : "cuda:" + Ordinal.ToString(CultureInfo.InvariantCulture),
        _ => "ilgpu-cpu",
    };
}
