namespace GraphCompiler.Runtime.Kernels;

public static unsafe partial class Gemm
{
    /// <summary>
    /// C = op(A)·op(B) and columnSums[j] = Σ_p op(B)[p, j]: a dense layer's weight and bias gradients in one
    /// call (dW = Xᵀ·dY with dY as B, db = the column sums of dY), as the compiler fuses the pair. Shapes,
    /// strides and transposes are as in <see cref="Sgemm"/> with alpha 1 and beta 0 (C is overwritten, even
    /// where it holds NaN); with k = 0 C and the sums are zero.
    /// </summary>
    /// <remarks>
    /// The sums are taken from the B values the GEMM reads anyway — by the packing of each B panel on the
    /// packed path, by the first row tile of each column strip on the unpacked path — so B is read once.
    /// Each column is summed by one thread in a fixed order, so the sums do not depend on the thread count.
    /// </remarks>
    /// <exception cref="ArgumentException">A size, stride or span length does not fit the shapes,
    /// <paramref name="columnSums"/> does not have n values, or an output overlaps an input or the other output.</exception>
    public static void SgemmWithColumnSums(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc, Span<float> columnSums)
    {
        GemmChecks.Validate(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        if (columnSums.Length != n)
            throw new ArgumentException($"The column sums have {columnSums.Length} values but op(B) has {n} columns.", nameof(columnSums));
        GemmChecks.NoOverlap(c, a, b);
        ReadOnlySpan<float> sums = columnSums;
        if (sums.Overlaps(a) || sums.Overlaps(b))
            throw new ArgumentException("GEMM column sums overlap input a or b.", nameof(columnSums));
        if (!c.IsEmpty && ((ReadOnlySpan<float>)c).Overlaps(columnSums))
            throw new ArgumentException("GEMM output c overlaps the column sums.", nameof(c));
        if (n == 0) return;
        if (k == 0 || m == 0)
        {
            // No product to read B through: C (if any) is zero, and the sums are taken directly.
            Sgemm(transA, transB, m, n, k, 1f, a, lda, b, ldb, 0f, c, ldc);
            SumColumns(b, transB ? 1 : ldb, transB ? ldb : 1, k, columnSums);
            return;
        }

        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pc = c)
        fixed (float* psums = columnSums)
        {
            var problem = Describe(transA, transB, m, n, k, 1f, pa, lda, pb, ldb, 0f, pc, ldc);
            problem.ColumnSums = psums;
            RunSplit(KernelIsaSelector.Current, problem);
        }
    }

    /// <summary>sums[j] = Σ_p b[p·rowStride + j·colStride], for a product with no rows (or no depth).</summary>
    private static void SumColumns(ReadOnlySpan<float> b, int rowStride, int colStride, int k, Span<float> sums)
    {
        sums.Clear();
        for (int p = 0; p < k; p++)
            for (int j = 0; j < sums.Length; j++)
                sums[j] += b[p * rowStride + j * colStride];
    }
}
