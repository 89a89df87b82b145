namespace GraphCompiler.Runtime.Kernels;

/// <summary>What a GEMM applies to each result before storing it (after the bias).</summary>
public enum GemmActivation
{
    /// <summary>Store the value as is.</summary>
    None,

    /// <summary>Store <c>x &gt; 0 ? x : 0</c> (NaN becomes 0, as the relu op).</summary>
    Relu,
}

public static unsafe partial class Gemm
{
    /// <summary>
    /// C = act(op(A)·op(B) + bias), bias broadcast over the rows (one value per column of C; empty for none):
    /// a dense layer in one call, as the compiler fuses matmul → bias add → relu. Shapes, strides and
    /// transposes are as in <see cref="Sgemm"/> with alpha 1 and beta 0 (C is overwritten, even where it holds NaN).
    /// </summary>
    /// <remarks>
    /// The bias and activation are applied by the micro-kernels as they store each finished tile of C (on the
    /// packed path only after the last k block), so the layer makes one pass over C instead of three.
    /// </remarks>
    /// <exception cref="ArgumentException">A size, stride or span length does not fit the shapes, the bias
    /// length is not n, the activation is unknown, or C overlaps A, B or the bias.</exception>
    public static void SgemmBiasActivation(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, ReadOnlySpan<float> columnBias, GemmActivation activation, Span<float> c, int ldc)
    {
        GemmChecks.Validate(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        if (!columnBias.IsEmpty && columnBias.Length != n)
            throw new ArgumentException($"The bias has {columnBias.Length} values but C has {n} columns.", nameof(columnBias));
        if (activation is not (GemmActivation.None or GemmActivation.Relu))
            throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown GEMM activation.");
        GemmChecks.NoOverlap(c, a, b);
        if (!c.IsEmpty && ((ReadOnlySpan<float>)c).Overlaps(columnBias))
            throw new ArgumentException("GEMM output c overlaps the bias.", nameof(c));
        if (m == 0 || n == 0) return;
        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pbias = columnBias)
        fixed (float* pc = c)
        {
            var problem = Describe(transA, transB, m, n, k, 1f, pa, lda, pb, ldb, 0f, pc, ldc);
            problem.Epilogue = new SgemmEpilogue(columnBias.IsEmpty ? null : pbias, activation);
            RunSplit(KernelIsaSelector.Current, problem);
        }
    }
}
