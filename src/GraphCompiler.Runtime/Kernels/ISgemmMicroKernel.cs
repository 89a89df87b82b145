namespace GraphCompiler.Runtime.Kernels;

/// <summary>
/// A GEMM micro-kernel and the cache blocking that suits it. The blocked driver is generic over this
/// interface, so the JIT compiles one specialised driver per kernel with MR/NR/KC/MC/NC as constants.
/// </summary>
internal unsafe interface ISgemmMicroKernel
{
    /// <summary>Rows of C per micro-tile (and rows per packed A sliver).</summary>
    static abstract int MR { get; }

    /// <summary>Columns of C per micro-tile (and columns per packed B sliver).</summary>
    static abstract int NR { get; }

    /// <summary>Depth of one packed panel (k block).</summary>
    static abstract int KC { get; }

    /// <summary>Rows of one packed A block; a multiple of <see cref="MR"/>.</summary>
    static abstract int MC { get; }

    /// <summary>Columns of one packed B panel; a multiple of <see cref="NR"/>.</summary>
    static abstract int NC { get; }

    /// <summary>
    /// C[0..MR, 0..NR] (row stride <paramref name="ldc"/>) = epilogue(C + Σ_p A[p] ⊗ B[p]), where the packed A
    /// sliver holds MR values per k step and the packed B sliver NR values per k step; with
    /// <paramref name="overwrite"/> C is not read (the first k block of a beta-0 product) and the sum replaces
    /// it. The driver passes an identity <paramref name="epilogue"/> for every k block but the last; its bias
    /// points at the tile's first column and must have NR readable values.
    /// </summary>
    static abstract void Run(int kc, float* a, float* b, float* c, int ldc, bool overwrite, SgemmEpilogue epilogue);
}
