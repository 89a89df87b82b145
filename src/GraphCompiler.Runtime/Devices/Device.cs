using System.Globalization;

namespace GraphCompiler.Runtime.Devices;

/// <summary>
/// A device a model runs on: <see cref="Cpu"/> (the host path), <see cref="Cuda"/> (an NVIDIA GPU) or
/// <see cref="IlgpuCpu"/> (the GPU path on ILGPU's CPU accelerator). Text forms, as samples take them in
/// <c>--device</c>: <c>cpu</c>, <c>cuda</c>, <c>cuda:1</c>, <c>ilgpu-cpu</c>, <c>ilgpu-cpu:groups</c>.
/// </summary>
public sealed record Device
{
    private Device(DeviceKind kind, int ordinal, bool gpuGroups = false)
    {
        Kind = kind;
        Ordinal = ordinal;
        _gpuGroups = gpuGroups;
    }

    /// <summary>What kind of device this is.</summary>
    public DeviceKind Kind { get; }

    /// <summary>The CUDA device index (0 for the other kinds).</summary>
    public int Ordinal { get; }

    /// <summary>
    /// On ILGPU's CPU accelerator: launch kernels in groups of several threads, as on a GPU, so that group
    /// barriers and shared-memory reductions run (for tests of those). Otherwise every group there is one
    /// thread: each simulated thread is a host thread, and making a group's threads meet at every barrier
    /// costs far more than the arithmetic (a row reduction 100× more). Always true on CUDA.
    /// </summary>
    public bool GpuGroups => Kind == DeviceKind.Cuda || _gpuGroups;

    private readonly bool _gpuGroups;

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

    /// <summary>
    /// ILGPU's CPU accelerator, which runs the GPU kernels on the host (slowly): for tests and machines without
    /// a GPU. <paramref name="gpuGroups"/>: see <see cref="GpuGroups"/>.
    /// </summary>
    public static Device IlgpuCpu(bool gpuGroups = false) => gpuGroups ? IlgpuCpuGroupsDevice : IlgpuCpuDevice;

    private static readonly Device IlgpuCpuDevice = new(DeviceKind.IlgpuCpu, 0);
    private static readonly Device IlgpuCpuGroupsDevice = new(DeviceKind.IlgpuCpu, 0, gpuGroups: true);

    /// <summary>The accepted text forms, for help texts.</summary>
    public const string Choices = "cpu|cuda|cuda:<n>|ilgpu-cpu|ilgpu-cpu:groups";

    /// <summary>Parses <c>cpu</c>, <c>cuda</c>, <c>cuda:&lt;n&gt;</c>, <c>ilgpu-cpu</c> or <c>ilgpu-cpu:groups</c> (case-insensitive).</summary>
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
            case "ilgpu-cpu:groups": device = IlgpuCpu(gpuGroups: true); return true;
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
        _ => _gpuGroups ? "ilgpu-cpu:groups" : "ilgpu-cpu",
    };
}
