using System.Runtime.Intrinsics;

namespace GraphCompiler.Runtime.Kernels;

/// <summary>
/// Copies blocks of op(A) and op(B) into the sliver layout the micro-kernels stream through:
/// A as consecutive MR-row slivers (MR values per k step), B as consecutive NR-column slivers
/// (NR values per k step). Slivers at the matrix edge are padded with zeros, so the micro-kernel
/// always runs a full tile and only the write-back needs to know about edges.
/// </summary>
/// <remarks>
/// Matrices are described by element strides: op(X)[i, j] = x[i * rowStride + j * colStride]. That
/// covers both transposes of a row-major matrix with one code path per contiguous direction.
/// </remarks>
internal static unsafe class SgemmPacking
{
    /// <summary>Packs alpha · op(A)[0..mc, 0..kc] into MR-row slivers at <paramref name="dst"/>.</summary>
    // AggressiveOptimization: packing runs on every GEMM call, and a profile-guided tier-1 build
    // specialised on whichever layout ran first was measured at half speed on the other layout.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static void PackA(int mr, int mc, int kc, float alpha, float* a, nint rowStride, nint colStride, float* dst)
    {
        for (int i0 = 0; i0 < mc; i0 += mr)
        {
            int rows = Math.Min(mr, mc - i0);
            float* src = a + i0 * rowStride;
            // Rows of op(A) contiguous: a transposing copy (A not transposed).
            if (colStride == 1) SgemmTransposePack.Pack(src, rowStride, rows, kc, alpha, dst, mr);
            else PackColumnsOfA(mr, rows, kc, alpha, src, rowStride, colStride, dst);

            if (rows < mr)
            {
                for (int p = 0; p < kc; p++)
                    new Span<float>(dst + p * mr + rows, mr - rows).Clear();
            }

            dst += mr * kc;
        }
    }

    /// <summary>Columns of op(A) are contiguous (A was transposed): each k step is a short contiguous run.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static void PackColumnsOfA(int mr, int rows, int kc, float alpha, float* src, nint rowStride, nint colStride, float* dst)
    {
        for (int p = 0; p < kc; p++)
        {
            float* col = src + p * colStride;
            float* d = dst + p * mr;
            if (rowStride == 1) ScaleRun(col, d, rows, alpha);
            else
                for (int ii = 0; ii < rows; ii++) d[ii] = alpha * col[ii * rowStride];
        }
    }

    /// <summary>
    /// Packs op(B)[0..kc, 0..nc] into NR-column slivers at <paramref name="dst"/>. With <paramref name="sums"/>
    /// not null, also writes (or, with <paramref name="addToSums"/>, adds) Σ_p op(B)[p, j] to sums[j] for
    /// j &lt; nc: a bias gradient taken from the values being copied anyway.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static void PackB(int nr, int kc, int nc, float* b, nint rowStride, nint colStride, float* dst,
        float* sums = null, bool addToSums = false)
    {
        for (int j0 = 0; j0 < nc; j0 += nr)
        {
            int cols = Math.Min(nr, nc - j0);
            float* src = b + j0 * colStride;
            float* sliverSums = sums == null ? null : sums + j0;
            if (colStride == 1)
            {
                // Rows of op(B) are contiguous: each k step copies one short run.
                if (sliverSums != null) SgemmColumnSumPacking.CopyRows(src, rowStride, kc, cols, nr, dst, sliverSums, addToSums);
                else for (int p = 0; p < kc; p++)
                {
                    float* row = src + p * rowStride;
                    float* d = dst + p * nr;
                    if (cols == nr) CopyRun(row, d, nr);
                    else
                    {
                        for (int jj = 0; jj < cols; jj++) d[jj] = row[jj];
                        for (int jj = cols; jj < nr; jj++) d[jj] = 0f;
                    }
                }
            }
            else
            {
                // B was transposed: each column of op(B) is contiguous in memory.
                if (sliverSums != null) SgemmColumnSumPacking.SumLines(src, colStride, rowStride, cols, kc, sliverSums, addToSums);
                if (rowStride == 1) SgemmTransposePack.Pack(src, colStride, cols, kc, 1f, dst, nr);
                else for (int jj = 0; jj < cols; jj++)
                {
                    float* col = src + jj * colStride;
                    float* d = dst + jj;
                    for (int p = 0; p < kc; p++) d[p * nr] = col[p * rowStride];
                }

                if (cols < nr)
                {
                    for (int p = 0; p < kc; p++)
                        new Span<float>(dst + p * nr + cols, nr - cols).Clear();
                }
            }

            dst += nr * kc;
        }
    }

    private static void ScaleRun(float* src, float* dst, int count, float scale)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var s = Vector256.Create(scale);
            for (; i + 8 <= count; i += 8) Vector256.Store(Vector256.Load(src + i) * s, dst + i);
        }

        for (; i < count; i++) dst[i] = scale * src[i];
    }

    private static void CopyRun(float* src, float* dst, int count)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + 8 <= count; i += 8) Vector256.Store(Vector256.Load(src + i), dst + i);
        }

        for (; i < count; i++) dst[i] = src[i];
    }
}
