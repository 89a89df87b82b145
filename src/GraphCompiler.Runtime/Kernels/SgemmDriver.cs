namespace GraphCompiler.Runtime.Kernels;

/// <summary>
/// One single-precision GEMM on raw pointers: C = epilogue(alpha·op(A)·op(B) + beta·C) with op(X) described
/// by element strides (see <see cref="SgemmPacking"/>) and an optional bias + activation epilogue. Plain
/// data, so it can sit on the caller's stack and be handed to pool workers by pointer.
/// </summary>
internal unsafe struct SgemmProblem
{
    public int M, N, K;
    public float Alpha, Beta;
    public float* A;
    public nint RowStrideA, ColStrideA;
    public float* B;
    public nint RowStrideB, ColStrideB;
    public float* C;
    public int Ldc;

    /// <summary>Bias and activation applied to each finished element; default (identity) for a plain GEMM.</summary>
    public SgemmEpilogue Epilogue;

    /// <summary>
    /// Where to write Σ_p op(B)[p, j] for the problem's column 0 onwards (a dense layer's bias gradient, taken
    /// while B is packed or read), or null for none. Only the code that packs or first reads a B panel adds
    /// it, so a sub-problem that shares its columns with another (a row slab) must carry null. Comes with an
    /// identity <see cref="Epilogue"/> (the fused kernels store sums with plain stores only).
    /// </summary>
    public float* ColumnSums;

    /// <summary>The same product restricted to rows [row0, row0+rows) and columns [col0, col0+cols) of C.</summary>
    public readonly SgemmProblem Slice(int row0, int rows, int col0, int cols)
    {
        var s = this;
        s.M = rows;
        s.N = cols;
        s.A = A + row0 * RowStrideA;
        s.B = B + col0 * ColStrideB;
        s.C = C + (nint)row0 * Ldc + col0;
        s.Epilogue = Epilogue.ShiftColumns(col0);
        if (ColumnSums != null) s.ColumnSums = ColumnSums + col0;
        return s;
    }
}

/// <summary>
/// The cache-blocked GEMM loop nest (the Goto/BLIS order): for each NC-wide column panel and KC-deep
/// slab, pack op(B) once; for each MC-tall row block, pack alpha·op(A); then sweep MR×NR micro-tiles. The
/// epilogue (bias, activation) is handed to the micro-kernels only on the last KC slab, when C holds the
/// finished sums: earlier slabs add partial sums into C. Column sums of op(B), when asked for, are taken by
/// the packing of each (NC, KC) panel — every element of B is packed exactly once per call — the first KC
/// slab writing them and later slabs adding to them.
/// Runs on the calling thread only; <see cref="Gemm"/> splits large products across threads.
/// </summary>
internal static unsafe class SgemmDriver
{
    /// <summary>Runs <paramref name="p"/> on this thread with the kernel for <paramref name="isa"/>.</summary>
    public static void Run(KernelIsa isa, in SgemmProblem p)
    {
        switch (isa)
        {
            case KernelIsa.Avx512: Run<SgemmKernelAvx512>(p); break;
            case KernelIsa.Avx2: Run<SgemmKernelAvx2>(p); break;
            default: Run<SgemmKernelScalar>(p); break;
        }
    }

    /// <summary>The micro-tile shape of the kernel for <paramref name="isa"/>, used to split work on tile bounds.</summary>
    public static (int MR, int NR) TileShape(KernelIsa isa) => isa switch
    {
        KernelIsa.Avx512 => (SgemmKernelAvx512.MR, SgemmKernelAvx512.NR),
        KernelIsa.Avx2 => (SgemmKernelAvx2.MR, SgemmKernelAvx2.NR),
        _ => (SgemmKernelScalar.MR, SgemmKernelScalar.NR),
    };

    private static void Run<TKernel>(in SgemmProblem p) where TKernel : struct, ISgemmMicroKernel
    {
        if (p.M == 0 || p.N == 0) return;
        if (p.K == 0 || p.Alpha == 0f)
        {
            // No product to add (and A, B must not be read): C is beta·C, and only the epilogue is left.
            ApplyBeta(p);
            p.Epilogue.ApplyTo(p.C, p.M, p.N, p.Ldc);
            return;
        }

        // With beta 0 the first k block's tiles replace C without reading it (no clearing pass, and NaN
        // in C never leaks through); otherwise C is scaled once and every block adds to it.
        bool overwriteFirst = p.Beta == 0f;
        if (!overwriteFirst) ApplyBeta(p);

        int mr = TKernel.MR, nr = TKernel.NR;
        int kcMax = Math.Min(TKernel.KC, p.K);
        int mcMax = Math.Min(TKernel.MC, RoundUp(p.M, mr));
        int ncMax = Math.Min(TKernel.NC, RoundUp(p.N, nr));
        float* packedA = PackBuffer.ForA(mcMax * kcMax);
        float* packedB = PackBuffer.ForB(ncMax * kcMax);
        // Edge tiles are computed into this scratch tile and then stored into C, so the kernel never
        // writes outside C. 12x32 is the largest tile of any kernel.
        float* edge = stackalloc float[12 * 32];

        for (int jc = 0; jc < p.N; jc += TKernel.NC)
        {
            int nc = Math.Min(TKernel.NC, p.N - jc);
            for (int pc = 0; pc < p.K; pc += TKernel.KC)
            {
                int kc = Math.Min(TKernel.KC, p.K - pc);
                var epilogue = pc + kc == p.K ? p.Epilogue.ShiftColumns(jc) : default;
                bool overwrite = overwriteFirst && pc == 0;
                SgemmPacking.PackB(nr, kc, nc, p.B + pc * p.RowStrideB + jc * p.ColStrideB,
                    p.RowStrideB, p.ColStrideB, packedB, p.ColumnSums == null ? null : p.ColumnSums + jc, addToSums: pc > 0);

                for (int ic = 0; ic < p.M; ic += TKernel.MC)
                {
                    int mc = Math.Min(TKernel.MC, p.M - ic);
                    SgemmPacking.PackA(mr, mc, kc, p.Alpha, p.A + ic * p.RowStrideA + pc * p.ColStrideA,
                        p.RowStrideA, p.ColStrideA, packedA);

                    for (int jr = 0; jr < nc; jr += nr)
                    {
                        int cols = Math.Min(nr, nc - jr);
                        float* bSliver = packedB + jr * kc;
                        var tileEpilogue = epilogue.ShiftColumns(jr);
                        for (int ir = 0; ir < mc; ir += mr)
                        {
                            int rows = Math.Min(mr, mc - ir);
                            float* aSliver = packedA + ir * kc;
                            float* cTile = p.C + (nint)(ic + ir) * p.Ldc + jc + jr;
                            if (rows == mr && cols == nr)
                            {
                                TKernel.Run(kc, aSliver, bSliver, cTile, p.Ldc, overwrite, tileEpilogue);
                            }
                            else
                            {
                                // The kernel's vector epilogue would read bias past column n: finish here instead.
                                TKernel.Run(kc, aSliver, bSliver, edge, nr, overwrite: true, default);
                                StoreEdgeTile(edge, nr, cTile, p.Ldc, rows, cols, overwrite, tileEpilogue);
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// C[0..rows, 0..cols] = epilogue(C + scratch tile), or epilogue(scratch tile) with
    /// <paramref name="overwrite"/>: the live part of an edge tile.
    /// </summary>
    private static void StoreEdgeTile(float* edge, int nr, float* c, int ldc, int rows, int cols, bool overwrite,
        SgemmEpilogue epilogue)
    {
        for (int r = 0; r < rows; r++)
        {
            float* src = edge + r * nr;
            float* dst = c + (nint)r * ldc;
            if (overwrite) new ReadOnlySpan<float>(src, cols).CopyTo(new Span<float>(dst, cols));
            else for (int j = 0; j < cols; j++) dst[j] += src[j];
            epilogue.ApplyToRow(dst, cols);
        }
    }

    /// <summary>C = beta·C; beta 0 overwrites with zeros so NaN or garbage in C never leaks through.</summary>
    private static void ApplyBeta(in SgemmProblem p)
    {
        if (p.Beta == 1f) return;
        for (int i = 0; i < p.M; i++)
        {
            var row = new Span<float>(p.C + (nint)i * p.Ldc, p.N);
            if (p.Beta == 0f) row.Clear();
            else System.Numerics.Tensors.TensorPrimitives.Multiply(row, p.Beta, row);
        }
    }

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;
}
