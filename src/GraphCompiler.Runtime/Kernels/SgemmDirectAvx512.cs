using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace GraphCompiler.Runtime.Kernels;

/// <summary>
/// The unpacked AVX-512 path for small and narrow products (the shapes of a small network's train
/// step, e.g. 200x100 · 100x50 or 200x50 · 50x10): the micro-kernels read op(A) straight from the
/// caller's matrix through its two strides, read op(B) rows straight from the caller's matrix (only a
/// transposed B is first copied to row-major scratch, k·n values), and write alpha·AB + beta·C — plus the
/// bias and activation of a fused dense layer — straight into C, so there is no A packing, no separate beta
/// or epilogue pass and no scratch tile at the edges.
/// </summary>
/// <remarks>
/// <para>Column strips are 1–4 zmm wide (16–64 columns) with the last vector masked, so n = 10 costs one
/// masked vector per row rather than two thirds of a wasted 32-wide tile, and n = 50 is one 64-wide strip.
/// Rows per tile shrink as strips widen (12, 12, 8, 6) to keep 12–24 accumulators in registers.</para>
/// <para>op(A)[r, p] = a[r·rs + p·cs] covers both transposes with one kernel. Row r is addressed as
/// base[(r mod 3)·rs] from one of up to four bases (rows 0, 3, 6, 9), so a 12-row tile needs only four
/// pointer registers and the scaled-index addressing modes; a ragged last row block is copied into a
/// zero-padded 12·k scratch first, so the kernels never read a row that does not exist.</para>
/// <para>A bias-gradient product (<see cref="SgemmProblem.ColumnSums"/>) has the first row tile of each strip
/// add up the B rows it loads anyway, in registers, and store the strip's column sums once; only the slab that
/// starts at row 0 has that tile, so threads never sum a column twice.</para>
/// <para>There is no k blocking: the path is chosen only for k up to <see cref="MaxK"/>, where a
/// 64-column strip of B (and the A rows of one tile) stay cache-resident across a row sweep.</para>
/// </remarks>
internal static unsafe class SgemmDirectAvx512
{
    /// <summary>The deepest product this path takes; deeper ones are packed and k-blocked.</summary>
    public const int MaxK = 1024;

    /// <summary>Rows of the tallest tile (the copy of a ragged last row block is this tall).</summary>
    public const int MaxRows = 12;

    /// <summary>
    /// Whether the unpacked path beats packing for this product: always when C is at most 64 columns
    /// wide (the packed kernel wastes much of its 32-wide tile there and re-packs A), else while the
    /// product is small enough that packing A would cost a large share of the arithmetic.
    /// </summary>
    public static bool Suits(in SgemmProblem p) =>
        p.K <= MaxK && (p.N <= 64 || (long)p.M * p.N * p.K <= (1L << 21));

    /// <summary>Rows per tile for a strip <paramref name="vectors"/> zmm wide.</summary>
    public static int RowsPerTile(int vectors) => vectors switch { 1 or 2 => 12, 3 => 8, _ => 6 };

    /// <summary>
    /// Rows [<paramref name="row0"/>, row0+<paramref name="rows"/>) of C = epilogue(alpha·op(A)·op(B) + beta·C), where
    /// op(B) is row-major with row stride <paramref name="ldb"/> (the caller copies a transposed B first).
    /// </summary>
    public static void Run(in SgemmProblem p, float* b, nint ldb, int row0, int rows)
    {
        // A plain product gets kernels compiled without the epilogue's checks in their stores.
        if (p.Epilogue.IsIdentity) Run<PlainStore>(p, b, ldb, row0, rows);
        else Run<FusedStore>(p, b, ldb, row0, rows);
    }

    private static void Run<TStore>(in SgemmProblem p, float* b, nint ldb, int row0, int rows)
        where TStore : struct, IStoreKind
    {
        float* tail = null;
        for (int j0 = 0; j0 < p.N;)
        {
            int remaining = p.N - j0;
            int vectors = remaining > 48 ? 4 : (remaining + 15) >> 4;
            int cols = Math.Min(remaining, vectors * 16);
            var mask = TailMask(cols - (vectors - 1) * 16);
            int mr = RowsPerTile(vectors);
            for (int i0 = row0; i0 < row0 + rows; i0 += mr)
            {
                int tileRows = Math.Min(mr, row0 + rows - i0);
                float* a = p.A + i0 * p.RowStrideA;
                nint rs = p.RowStrideA, cs = p.ColStrideA;
                if (tileRows < mr)
                {
                    if (tail == null) tail = PackBuffer.ForA(MaxRows * p.K);
                    CopyRows(a, rs, cs, tileRows, mr, p.K, tail);
                    a = tail;
                    rs = 1;
                    cs = mr;
                }

                float* c = p.C + (nint)i0 * p.Ldc + j0;
                float* bs = b + j0;
                var epilogue = p.Epilogue.ShiftColumns(j0);
                // The strip's first tile of the whole product (only one thread's slab starts at row 0) also
                // sums the B rows it streams through: each column of op(B) is summed exactly once, in k order.
                if (p.ColumnSums != null && i0 == 0)
                    Tile<SummingStore>(vectors, p.K, a, rs, cs, bs, ldb, c, p.Ldc, tileRows, mask, p.Alpha, p.Beta, epilogue, p.ColumnSums + j0);
                else
                    Tile<TStore>(vectors, p.K, a, rs, cs, bs, ldb, c, p.Ldc, tileRows, mask, p.Alpha, p.Beta, epilogue, null);
            }

            j0 += cols;
        }
    }

    /// <summary>One tile of a strip <paramref name="vectors"/> zmm wide, by the kernel for that width.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile<TStore>(int vectors, int k, float* a, nint rs, nint cs, float* b, nint ldb, float* c, nint ldc,
        int rows, Vector512<float> mask, float alpha, float beta, SgemmEpilogue epilogue, float* sums) where TStore : struct, IStoreKind
    {
        switch (vectors)
        {
            case 1: Tile12<OneVector, TStore>(k, a, rs, cs, b, ldb, c, ldc, rows, mask, alpha, beta, epilogue, sums); break;
            case 2: Tile12<TwoVectors, TStore>(k, a, rs, cs, b, ldb, c, ldc, rows, mask, alpha, beta, epilogue, sums); break;
            case 3: Tile8x3<TStore>(k, a, rs, cs, b, ldb, c, ldc, rows, mask, alpha, beta, epilogue, sums); break;
            default: Tile6x4<TStore>(k, a, rs, cs, b, ldb, c, ldc, rows, mask, alpha, beta, epilogue, sums); break;
        }
    }

    /// <summary>Copies op(B) (k×n, any strides) to row-major <paramref name="dst"/> with row stride n.</summary>
    public static void CopyB(in SgemmProblem p, float* dst)
    {
        if (p.RowStrideB == 1)
        {
            SgemmTransposePack.Pack(p.B, p.ColStrideB, p.N, p.K, 1f, dst, p.N);
            return;
        }

        for (int j = 0; j < p.N; j++)
        {
            float* src = p.B + j * p.ColStrideB;
            float* d = dst + j;
            for (int q = 0; q < p.K; q++) d[(nint)q * p.N] = src[q * p.RowStrideB];
        }
    }

    /// <summary>Lanes [0, count) set: selects the live columns of a strip's last vector.</summary>
    private static Vector512<float> TailMask(int count) =>
        Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(count)).AsSingle();

    /// <summary>op(A) rows [0, rows) into the packed layout dst[p·mr + r], rows [rows, mr) zero.</summary>
    private static void CopyRows(float* a, nint rs, nint cs, int rows, int mr, int k, float* dst)
    {
        if (cs == 1)
        {
            SgemmTransposePack.Pack(a, rs, rows, k, 1f, dst, mr);
            for (int q = 0; q < k; q++) new Span<float>(dst + q * mr + rows, mr - rows).Clear();
            return;
        }

        for (int q = 0; q < k; q++)
        {
            float* d = dst + q * mr;
            for (int r = 0; r < rows; r++) d[r] = a[r * rs + q * cs];
            for (int r = rows; r < mr; r++) d[r] = 0f;
        }
    }

    /// <summary>
    /// Whether the stores may carry an epilogue, and whether the tile also sums the columns of B it reads
    /// (JIT-time constants, so plain kernels skip the checks and the extra adds).
    /// </summary>
    private interface IStoreKind
    {
        static abstract bool Fused { get; }

        static abstract bool Sums { get; }
    }

    private readonly struct PlainStore : IStoreKind
    {
        public static bool Fused => false;

        public static bool Sums => false;
    }

    private readonly struct FusedStore : IStoreKind
    {
        public static bool Fused => true;

        public static bool Sums => false;
    }

    /// <summary>A plain store whose tile also writes Σ_p B[p, j] for its columns (a bias gradient).</summary>
    private readonly struct SummingStore : IStoreKind
    {
        public static bool Fused => false;

        public static bool Sums => true;
    }

    private interface IWidth
    {
        static abstract bool Two { get; }
    }

    private readonly struct OneVector : IWidth
    {
        public static bool Two => false;
    }

    private readonly struct TwoVectors : IWidth
    {
        public static bool Two => true;
    }

    /// <summary>12 rows × one or two vectors (the second, or the only one, masked).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile12<TWidth, TStore>(int k, float* a, nint rs, nint cs, float* b, nint ldb, float* c, nint ldc,
        int rows, Vector512<float> mask, float alpha, float beta, SgemmEpilogue epilogue, float* sums)
        where TWidth : struct, IWidth where TStore : struct, IStoreKind
    {
        Vector512<float> c00 = default, c10 = default, c20 = default, c30 = default, c40 = default, c50 = default;
        Vector512<float> c60 = default, c70 = default, c80 = default, c90 = default, cA0 = default, cB0 = default;
        Vector512<float> c01 = default, c11 = default, c21 = default, c31 = default, c41 = default, c51 = default;
        Vector512<float> c61 = default, c71 = default, c81 = default, c91 = default, cA1 = default, cB1 = default;
        Vector512<float> s0 = default, s1 = default;
        float* a0 = a, a3 = a + 3 * rs, a6 = a + 6 * rs, a9 = a + 9 * rs;
        for (int p = 0; p < k; p++)
        {
            if (TWidth.Two)
            {
                var b0 = Vector512.Load(b);
                var b1 = Avx512F.MaskLoad(b + 16, mask, Vector512<float>.Zero);
                if (TStore.Sums) { s0 += b0; s1 += b1; }
                var x = Vector512.Create(a0[0]);
                c00 = Avx512F.FusedMultiplyAdd(x, b0, c00); c01 = Avx512F.FusedMultiplyAdd(x, b1, c01);
                x = Vector512.Create(a0[rs]);
                c10 = Avx512F.FusedMultiplyAdd(x, b0, c10); c11 = Avx512F.FusedMultiplyAdd(x, b1, c11);
                x = Vector512.Create(a0[2 * rs]);
                c20 = Avx512F.FusedMultiplyAdd(x, b0, c20); c21 = Avx512F.FusedMultiplyAdd(x, b1, c21);
                x = Vector512.Create(a3[0]);
                c30 = Avx512F.FusedMultiplyAdd(x, b0, c30); c31 = Avx512F.FusedMultiplyAdd(x, b1, c31);
                x = Vector512.Create(a3[rs]);
                c40 = Avx512F.FusedMultiplyAdd(x, b0, c40); c41 = Avx512F.FusedMultiplyAdd(x, b1, c41);
                x = Vector512.Create(a3[2 * rs]);
                c50 = Avx512F.FusedMultiplyAdd(x, b0, c50); c51 = Avx512F.FusedMultiplyAdd(x, b1, c51);
                x = Vector512.Create(a6[0]);
                c60 = Avx512F.FusedMultiplyAdd(x, b0, c60); c61 = Avx512F.FusedMultiplyAdd(x, b1, c61);
                x = Vector512.Create(a6[rs]);
                c70 = Avx512F.FusedMultiplyAdd(x, b0, c70); c71 = Avx512F.FusedMultiplyAdd(x, b1, c71);
                x = Vector512.Create(a6[2 * rs]);
                c80 = Avx512F.FusedMultiplyAdd(x, b0, c80); c81 = Avx512F.FusedMultiplyAdd(x, b1, c81);
                x = Vector512.Create(a9[0]);
                c90 = Avx512F.FusedMultiplyAdd(x, b0, c90); c91 = Avx512F.FusedMultiplyAdd(x, b1, c91);
                x = Vector512.Create(a9[rs]);
                cA0 = Avx512F.FusedMultiplyAdd(x, b0, cA0); cA1 = Avx512F.FusedMultiplyAdd(x, b1, cA1);
                x = Vector512.Create(a9[2 * rs]);
                cB0 = Avx512F.FusedMultiplyAdd(x, b0, cB0); cB1 = Avx512F.FusedMultiplyAdd(x, b1, cB1);
            }
            else
            {
                var b0 = Avx512F.MaskLoad(b, mask, Vector512<float>.Zero);
                if (TStore.Sums) s0 += b0;
                c00 = Avx512F.FusedMultiplyAdd(Vector512.Create(a0[0]), b0, c00);
                c10 = Avx512F.FusedMultiplyAdd(Vector512.Create(a0[rs]), b0, c10);
                c20 = Avx512F.FusedMultiplyAdd(Vector512.Create(a0[2 * rs]), b0, c20);
                c30 = Avx512F.FusedMultiplyAdd(Vector512.Create(a3[0]), b0, c30);
                c40 = Avx512F.FusedMultiplyAdd(Vector512.Create(a3[rs]), b0, c40);
                c50 = Avx512F.FusedMultiplyAdd(Vector512.Create(a3[2 * rs]), b0, c50);
                c60 = Avx512F.FusedMultiplyAdd(Vector512.Create(a6[0]), b0, c60);
                c70 = Avx512F.FusedMultiplyAdd(Vector512.Create(a6[rs]), b0, c70);
                c80 = Avx512F.FusedMultiplyAdd(Vector512.Create(a6[2 * rs]), b0, c80);
                c90 = Avx512F.FusedMultiplyAdd(Vector512.Create(a9[0]), b0, c90);
                cA0 = Avx512F.FusedMultiplyAdd(Vector512.Create(a9[rs]), b0, cA0);
                cB0 = Avx512F.FusedMultiplyAdd(Vector512.Create(a9[2 * rs]), b0, cB0);
            }

            a0 += cs; a3 += cs; a6 += cs; a9 += cs;
            b += ldb;
        }

        if (TStore.Sums)
        {
            if (TWidth.Two) StoreSums(sums, mask, s0, s1);
            else Avx512F.MaskStore(sums, mask, s0);
        }

        var output = new Output<TStore>(alpha, beta, mask, epilogue);
        if (TWidth.Two)
        {
            output.Store2(c, c00, c01); if (rows <= 1) return;
            output.Store2(c + ldc, c10, c11); if (rows <= 2) return;
            output.Store2(c + 2 * ldc, c20, c21); if (rows <= 3) return;
            output.Store2(c + 3 * ldc, c30, c31); if (rows <= 4) return;
            output.Store2(c + 4 * ldc, c40, c41); if (rows <= 5) return;
            output.Store2(c + 5 * ldc, c50, c51); if (rows <= 6) return;
            output.Store2(c + 6 * ldc, c60, c61); if (rows <= 7) return;
            output.Store2(c + 7 * ldc, c70, c71); if (rows <= 8) return;
            output.Store2(c + 8 * ldc, c80, c81); if (rows <= 9) return;
            output.Store2(c + 9 * ldc, c90, c91); if (rows <= 10) return;
            output.Store2(c + 10 * ldc, cA0, cA1); if (rows <= 11) return;
            output.Store2(c + 11 * ldc, cB0, cB1);
        }
        else
        {
            output.Store1(c, c00); if (rows <= 1) return;
            output.Store1(c + ldc, c10); if (rows <= 2) return;
            output.Store1(c + 2 * ldc, c20); if (rows <= 3) return;
            output.Store1(c + 3 * ldc, c30); if (rows <= 4) return;
            output.Store1(c + 4 * ldc, c40); if (rows <= 5) return;
            output.Store1(c + 5 * ldc, c50); if (rows <= 6) return;
            output.Store1(c + 6 * ldc, c60); if (rows <= 7) return;
            output.Store1(c + 7 * ldc, c70); if (rows <= 8) return;
            output.Store1(c + 8 * ldc, c80); if (rows <= 9) return;
            output.Store1(c + 9 * ldc, c90); if (rows <= 10) return;
            output.Store1(c + 10 * ldc, cA0); if (rows <= 11) return;
            output.Store1(c + 11 * ldc, cB0);
        }
    }

    /// <summary>8 rows × three vectors (the third masked).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile8x3<TStore>(int k, float* a, nint rs, nint cs, float* b, nint ldb, float* c, nint ldc,
        int rows, Vector512<float> mask, float alpha, float beta, SgemmEpilogue epilogue, float* sums) where TStore : struct, IStoreKind
    {
        Vector512<float> c00 = default, c10 = default, c20 = default, c30 = default;
        Vector512<float> c40 = default, c50 = default, c60 = default, c70 = default;
        Vector512<float> c01 = default, c11 = default, c21 = default, c31 = default;
        Vector512<float> c41 = default, c51 = default, c61 = default, c71 = default;
        Vector512<float> c02 = default, c12 = default, c22 = default, c32 = default;
        Vector512<float> c42 = default, c52 = default, c62 = default, c72 = default;
        Vector512<float> s0 = default, s1 = default, s2 = default;
        float* a0 = a, a3 = a + 3 * rs, a6 = a + 6 * rs;
        for (int p = 0; p < k; p++)
        {
            var b0 = Vector512.Load(b);
            var b1 = Vector512.Load(b + 16);
            var b2 = Avx512F.MaskLoad(b + 32, mask, Vector512<float>.Zero);
            if (TStore.Sums) { s0 += b0; s1 += b1; s2 += b2; }
            var x = Vector512.Create(a0[0]);
            c00 = Avx512F.FusedMultiplyAdd(x, b0, c00); c01 = Avx512F.FusedMultiplyAdd(x, b1, c01); c02 = Avx512F.FusedMultiplyAdd(x, b2, c02);
            x = Vector512.Create(a0[rs]);
            c10 = Avx512F.FusedMultiplyAdd(x, b0, c10); c11 = Avx512F.FusedMultiplyAdd(x, b1, c11); c12 = Avx512F.FusedMultiplyAdd(x, b2, c12);
            x = Vector512.Create(a0[2 * rs]);
            c20 = Avx512F.FusedMultiplyAdd(x, b0, c20); c21 = Avx512F.FusedMultiplyAdd(x, b1, c21); c22 = Avx512F.FusedMultiplyAdd(x, b2, c22);
            x = Vector512.Create(a3[0]);
            c30 = Avx512F.FusedMultiplyAdd(x, b0, c30); c31 = Avx512F.FusedMultiplyAdd(x, b1, c31); c32 = Avx512F.FusedMultiplyAdd(x, b2, c32);
            x = Vector512.Create(a3[rs]);
            c40 = Avx512F.FusedMultiplyAdd(x, b0, c40); c41 = Avx512F.FusedMultiplyAdd(x, b1, c41); c42 = Avx512F.FusedMultiplyAdd(x, b2, c42);
            x = Vector512.Create(a3[2 * rs]);
            c50 = Avx512F.FusedMultiplyAdd(x, b0, c50); c51 = Avx512F.FusedMultiplyAdd(x, b1, c51); c52 = Avx512F.FusedMultiplyAdd(x, b2, c52);
            x = Vector512.Create(a6[0]);
            c60 = Avx512F.FusedMultiplyAdd(x, b0, c60); c61 = Avx512F.FusedMultiplyAdd(x, b1, c61); c62 = Avx512F.FusedMultiplyAdd(x, b2, c62);
            x = Vector512.Create(a6[rs]);
            c70 = Avx512F.FusedMultiplyAdd(x, b0, c70); c71 = Avx512F.FusedMultiplyAdd(x, b1, c71); c72 = Avx512F.FusedMultiplyAdd(x, b2, c72);
            a0 += cs; a3 += cs; a6 += cs;
            b += ldb;
        }

        if (TStore.Sums)
        {
            Vector512.Store(s0, sums);
            StoreSums(sums + 16, mask, s1, s2);
        }

        var output = new Output<TStore>(alpha, beta, mask, epilogue);
        output.Store3(c, c00, c01, c02); if (rows <= 1) return;
        output.Store3(c + ldc, c10, c11, c12); if (rows <= 2) return;
        output.Store3(c + 2 * ldc, c20, c21, c22); if (rows <= 3) return;
        output.Store3(c + 3 * ldc, c30, c31, c32); if (rows <= 4) return;
        output.Store3(c + 4 * ldc, c40, c41, c42); if (rows <= 5) return;
        output.Store3(c + 5 * ldc, c50, c51, c52); if (rows <= 6) return;
        output.Store3(c + 6 * ldc, c60, c61, c62); if (rows <= 7) return;
        output.Store3(c + 7 * ldc, c70, c71, c72);
    }

    /// <summary>6 rows × four vectors (the fourth masked).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile6x4<TStore>(int k, float* a, nint rs, nint cs, float* b, nint ldb, float* c, nint ldc,
        int rows, Vector512<float> mask, float alpha, float beta, SgemmEpilogue epilogue, float* sums) where TStore : struct, IStoreKind
    {
        Vector512<float> c00 = default, c10 = default, c20 = default, c30 = default, c40 = default, c50 = default;
        Vector512<float> c01 = default, c11 = default, c21 = default, c31 = default, c41 = default, c51 = default;
        Vector512<float> c02 = default, c12 = default, c22 = default, c32 = default, c42 = default, c52 = default;
        Vector512<float> c03 = default, c13 = default, c23 = default, c33 = default, c43 = default, c53 = default;
        // Summing tiles hold four more vectors than the 29 registers the product needs; the JIT spills a few,
        // which only the strip's first tile pays.
        Vector512<float> s0 = default, s1 = default, s2 = default, s3 = default;
        float* a0 = a, a3 = a + 3 * rs;
        for (int p = 0; p < k; p++)
        {
            var b0 = Vector512.Load(b);
            var b1 = Vector512.Load(b + 16);
            var b2 = Vector512.Load(b + 32);
            var b3 = Avx512F.MaskLoad(b + 48, mask, Vector512<float>.Zero);
            if (TStore.Sums) { s0 += b0; s1 += b1; s2 += b2; s3 += b3; }
            var x = Vector512.Create(a0[0]);
            c00 = Avx512F.FusedMultiplyAdd(x, b0, c00); c01 = Avx512F.FusedMultiplyAdd(x, b1, c01);
            c02 = Avx512F.FusedMultiplyAdd(x, b2, c02); c03 = Avx512F.FusedMultiplyAdd(x, b3, c03);
            x = Vector512.Create(a0[rs]);
            c10 = Avx512F.FusedMultiplyAdd(x, b0, c10); c11 = Avx512F.FusedMultiplyAdd(x, b1, c11);
            c12 = Avx512F.FusedMultiplyAdd(x, b2, c12); c13 = Avx512F.FusedMultiplyAdd(x, b3, c13);
            x = Vector512.Create(a0[2 * rs]);
            c20 = Avx512F.FusedMultiplyAdd(x, b0, c20); c21 = Avx512F.FusedMultiplyAdd(x, b1, c21);
            c22 = Avx512F.FusedMultiplyAdd(x, b2, c22); c23 = Avx512F.FusedMultiplyAdd(x, b3, c23);
            x = Vector512.Create(a3[0]);
            c30 = Avx512F.FusedMultiplyAdd(x, b0, c30); c31 = Avx512F.FusedMultiplyAdd(x, b1, c31);
            c32 = Avx512F.FusedMultiplyAdd(x, b2, c32); c33 = Avx512F.FusedMultiplyAdd(x, b3, c33);
            x = Vector512.Create(a3[rs]);
            c40 = Avx512F.FusedMultiplyAdd(x, b0, c40); c41 = Avx512F.FusedMultiplyAdd(x, b1, c41);
            c42 = Avx512F.FusedMultiplyAdd(x, b2, c42); c43 = Avx512F.FusedMultiplyAdd(x, b3, c43);
            x = Vector512.Create(a3[2 * rs]);
            c50 = Avx512F.FusedMultiplyAdd(x, b0, c50); c51 = Avx512F.FusedMultiplyAdd(x, b1, c51);
            c52 = Avx512F.FusedMultiplyAdd(x, b2, c52); c53 = Avx512F.FusedMultiplyAdd(x, b3, c53);
            a0 += cs; a3 += cs;
            b += ldb;
        }

        if (TStore.Sums)
        {
            Vector512.Store(s0, sums);
            Vector512.Store(s1, sums + 16);
            StoreSums(sums + 32, mask, s2, s3);
        }

        var output = new Output<TStore>(alpha, beta, mask, epilogue);
        output.Store4(c, c00, c01, c02, c03); if (rows <= 1) return;
        output.Store4(c + ldc, c10, c11, c12, c13); if (rows <= 2) return;
        output.Store4(c + 2 * ldc, c20, c21, c22, c23); if (rows <= 3) return;
        output.Store4(c + 3 * ldc, c30, c31, c32, c33); if (rows <= 4) return;
        output.Store4(c + 4 * ldc, c40, c41, c42, c43); if (rows <= 5) return;
        output.Store4(c + 5 * ldc, c50, c51, c52, c53);
    }

    /// <summary>The last two sum vectors of a strip: the first whole, the second masked to the live columns.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreSums(float* sums, Vector512<float> mask, Vector512<float> full, Vector512<float> last)
    {
        Vector512.Store(full, sums);
        Avx512F.MaskStore(sums + 16, mask, last);
    }

    /// <summary>
    /// Writes accumulators as epilogue(alpha·acc + beta·C) (beta 0 never reads C), the last vector masked; the
    /// epilogue adds the strip's bias (masked the same way, so no bias past column n is read) and applies relu.
    /// </summary>
    private readonly struct Output<TStore>(float alpha, float beta, Vector512<float> mask, SgemmEpilogue epilogue)
        where TStore : struct, IStoreKind
    {
        private readonly Vector512<float> _alpha = Vector512.Create(alpha);
        private readonly Vector512<float> _beta = Vector512.Create(beta);
        private readonly Vector512<float> _mask = mask;
        private readonly float* _bias = epilogue.Bias;
        private readonly bool _readC = beta != 0f;
        private readonly bool _relu = epilogue.Relu;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Store1(float* c, Vector512<float> v0) => Last(c, v0, 0);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Store2(float* c, Vector512<float> v0, Vector512<float> v1)
        {
            Full(c, v0, 0);
            Last(c + 16, v1, 16);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Store3(float* c, Vector512<float> v0, Vector512<float> v1, Vector512<float> v2)
        {
            Full(c, v0, 0);
            Full(c + 16, v1, 16);
            Last(c + 32, v2, 32);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Store4(float* c, Vector512<float> v0, Vector512<float> v1, Vector512<float> v2, Vector512<float> v3)
        {
            Full(c, v0, 0);
            Full(c + 16, v1, 16);
            Full(c + 32, v2, 32);
            Last(c + 48, v3, 48);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void Full(float* c, Vector512<float> v, int col)
        {
            var r = _readC ? Avx512F.FusedMultiplyAdd(_beta, Vector512.Load(c), _alpha * v) : _alpha * v;
            if (TStore.Fused && _bias != null) r += Vector512.Load(_bias + col);
            if (TStore.Fused && _relu) r = SimdRelu.Apply(r);
            Vector512.Store(r, c);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void Last(float* c, Vector512<float> v, int col)
        {
            var r = _readC
                ? Avx512F.FusedMultiplyAdd(_beta, Avx512F.MaskLoad(c, _mask, Vector512<float>.Zero), _alpha * v)
                : _alpha * v;
            if (TStore.Fused && _bias != null) r += Avx512F.MaskLoad(_bias + col, _mask, Vector512<float>.Zero);
            if (TStore.Fused && _relu) r = SimdRelu.Apply(r);
            Avx512F.MaskStore(c, _mask, r);
        }
    }
}
