namespace GraphCompiler.Runtime.Kernels;

/// <summary>Which single-precision GEMM algorithm a call uses.</summary>
internal enum SgemmPath
{
    /// <summary>
    /// The tiny-product kernel for plain products small enough for it, else the unpacked path where it suits
    /// the product (AVX-512 only), else packed.
    /// </summary>
    Auto = 0,

    /// <summary>Always the packed, cache-blocked driver (never the tiny-product kernel).</summary>
    Packed = 1,

    /// <summary>
    /// The unpacked path whenever the ISA has it (never the tiny-product kernel), whatever the shape (tests
    /// cover it on large shapes).
    /// </summary>
    Direct = 2,

    /// <summary>
    /// The tiny-product kernel (<see cref="SgemmSmall"/>) for every plain product (<see cref="Gemm.Sgemm"/>,
    /// <see cref="Gemm.BatchedSgemm"/>), whatever the shape; fused products keep the automatic choice.
    /// </summary>
    Small = 3,
}

/// <summary>
/// Lets tests pin the GEMM algorithm on their own thread (thread-static, like <see cref="KernelIsaSelector"/>),
/// so every path is checked on shapes the automatic choice would send to only one of them.
/// </summary>
internal static class SgemmPathSelector
{
    [ThreadStatic] private static SgemmPath t_forced;

    /// <summary>The path calls from this thread use.</summary>
    public static SgemmPath Current => t_forced;

    /// <summary>Forces <paramref name="path"/> on this thread until the returned scope is disposed.</summary>
    public static PathScope Force(SgemmPath path)
    {
        var previous = t_forced;
        t_forced = path;
        return new PathScope(previous);
    }

    /// <summary>Restores the previous choice when disposed.</summary>
    internal readonly struct PathScope(SgemmPath previous) : IDisposable
    {
        public void Dispose() => t_forced = previous;
    }
}
