using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace GraphCompiler.Runtime.Kernels;

/// <summary>The instruction-set paths the hand-vectorised kernels have.</summary>
internal enum KernelIsa
{
    /// <summary>Plain C#; runs everywhere and is the reference the SIMD paths are tested against.</summary>
    Scalar = 0,

    /// <summary>256-bit vectors with fused multiply-add (AVX2 + FMA).</summary>
    Avx2 = 1,

    /// <summary>512-bit vectors (AVX-512F), used only where the runtime says they are fast.</summary>
    Avx512 = 2,
}

/// <summary>
/// Picks the widest kernel path this machine runs well. Tests can force a narrower path on their own
/// thread (the override is thread-static so parallel test classes do not see each other's choice);
/// kernels read <see cref="Current"/> once on the calling thread and hand the choice to any workers.
/// </summary>
internal static class KernelIsaSelector
{
    /// <summary>The best path the hardware supports.</summary>
    public static readonly KernelIsa Detected = Detect();

    [ThreadStatic] private static KernelIsa? t_override;

    /// <summary>The path kernels called from this thread use.</summary>
    public static KernelIsa Current
    {
        get
        {
            var forced = t_override;
            // A forced path never exceeds what the hardware can run.
            return forced is { } f && f < Detected ? f : Detected;
        }
    }

    /// <summary>Forces at most <paramref name="isa"/> on this thread until the returned scope is disposed.</summary>
    public static IsaScope Force(KernelIsa isa)
    {
        var previous = t_override;
        t_override = isa;
        return new IsaScope(previous);
    }

    private static KernelIsa Detect()
    {
        // Vector512.IsHardwareAccelerated is false on parts where 512-bit code downclocks the core.
        if (Vector512.IsHardwareAccelerated && Avx512F.IsSupported) return KernelIsa.Avx512;
        if (Avx2.IsSupported && Fma.IsSupported) return KernelIsa.Avx2;
        return KernelIsa.Scalar;
    }

    /// <summary>Restores the previous override when disposed.</summary>
    internal readonly struct IsaScope(KernelIsa? previous) : IDisposable
    {
        public void Dispose() => t_override = previous;
    }
}
