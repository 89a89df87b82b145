namespace GraphCompiler.Runtime.Kernels;

/// <summary>Which single-precision GEMM algorithm a call uses.</summary>
internal enum SgemmPath
{
    /// <summary>The unpacked path for small products where it suits them (AVX-512 only), else packed.</summary>
    Auto = 0,

    /// <summary>Always the packed, cache-blocked driver.</summary>
    Packed = 1,

    /// <summary>The unpacked path whenever the ISA has it, whatever the shape (tests cover it on large shapes).</summary>
    Direct = 2,
}

/// <summary>
/// Lets tests pin the GEMM algorithm on their own thread (thread-static, like <see cref="KernelIsaSelector"/>),
/// so both paths are checked on shapes the automatic choice would send to only one of them.
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
