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
    /// a dense layer in one call, as the compiler fuses matmul → bias add → relu.
    /// </summary>
    public static void SgemmBiasActivation(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, ReadOnlySpan<float> columnBias, GemmActivation activation, Span<float> c, int ldc)
    {
        if (!columnBias.IsEmpty && columnBias.Length != n)
            throw new ArgumentException($"The bias has {columnBias.Length} values but C has {n} columns.", nameof(columnBias));
        Sgemm(transA, transB, m, n, k, 1f, a, lda, b, ldb, 0f, c, ldc);
        for (int i = 0; i < m; i++)
        {
            var row = c.Slice(i * ldc, n);
            if (!columnBias.IsEmpty) System.Numerics.Tensors.TensorPrimitives.Add(row, columnBias, row);
            if (activation == GemmActivation.Relu)
                for (int j = 0; j < n; j++) row[j] = row[j] > 0 ? row[j] : 0;
        }
    }
}
