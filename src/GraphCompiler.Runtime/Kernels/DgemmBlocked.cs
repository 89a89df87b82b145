using System.Buffers;
using System.Numerics.Tensors;

namespace GraphCompiler.Runtime.Kernels;

/// <summary>
/// Double-precision GEMM without micro-kernels: op(B) is copied KB rows at a time into a contiguous
/// scratch slab (so both transposes read the same way), then every row of C takes vectorised
/// axpy updates C[i, j-block] += alpha·op(A)[i, p]·B[p, j-block]. Double precision is used for
/// gradient checks and references, where clarity matters more than the last factor of speed.
/// </summary>
internal static class DgemmBlocked
{
    private const int KB = 128; // rows of op(B) per slab
    private const int NB = 512; // columns per sweep, so a KB x NB slab (512 KiB) stays in L2

    public static void Run(bool transA, bool transB, int m, int n, int k, double alpha,
        ReadOnlySpan<double> a, int lda, ReadOnlySpan<double> b, int ldb, double beta, Span<double> c, int ldc)
    {
        for (int i = 0; i < m; i++)
        {
            var row = c.Slice(i * ldc, n);
            if (beta == 0) row.Clear();
            else if (beta != 1) TensorPrimitives.Multiply(row, beta, row);
        }

        if (k == 0 || alpha == 0) return;

        double[] slab = ArrayPool<double>.Shared.Rent(Math.Min(KB, k) * Math.Min(NB, n));
        try
        {
            for (int j0 = 0; j0 < n; j0 += NB)
            {
                int nb = Math.Min(NB, n - j0);
                for (int p0 = 0; p0 < k; p0 += KB)
                {
                    int kb = Math.Min(KB, k - p0);
                    for (int p = 0; p < kb; p++)
                    {
                        var dst = slab.AsSpan(p * nb, nb);
                        if (!transB) b.Slice((p0 + p) * ldb + j0, nb).CopyTo(dst);
                        else for (int j = 0; j < nb; j++) dst[j] = b[(j0 + j) * ldb + p0 + p];
                    }

                    for (int i = 0; i < m; i++)
                    {
                        var cRow = c.Slice(i * ldc + j0, nb);
                        for (int p = 0; p < kb; p++)
                        {
                            double aip = transA ? a[(p0 + p) * lda + i] : a[i * lda + p0 + p];
                            TensorPrimitives.MultiplyAdd(slab.AsSpan(p * nb, nb), alpha * aip, cRow, cRow);
                        }
                    }
                }
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(slab);
        }
    }
}
