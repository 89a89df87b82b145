using System.Numerics;

namespace GraphCompiler.Runtime.Execution;

public static partial class CpuOps
{
    /// <summary>
    /// A dense layer's weight and bias gradients in one kernel: c[m,n] = op(a)·op(b) and columnSums[n] = the
    /// sums of op(b) [k,n] over k. The compiler emits this for dW = Xᵀ·dY next to db = sum_to(dY) over the
    /// batch axis, so dY is read once (float32 sums it inside the GEMM's packing; other types take two loops).
    /// </summary>
    public static void MatMulColumnSums<T>(bool transA, bool transB, int m, int n, int k, ReadOnlySpan<T> a, ReadOnlySpan<T> b,
        Span<T> c, Span<T> columnSums)
        where T : unmanaged, INumber<T>
    {
        if (typeof(T) == typeof(float))
        {
            Kernels.Gemm.SgemmWithColumnSums(transA, transB, m, n, k, Cast(a), transA ? m : k, Cast(b), transB ? k : n,
                System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(c), n,
                System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(columnSums));
            return;
        }

        if (columnSums.Length != n)
            throw new ArgumentException($"The column sums have {columnSums.Length} values but op(b) has {n} columns.", nameof(columnSums));
        MatMul(transA, transB, m, n, k, a, b, c);
        columnSums.Clear();
        for (int p = 0; p < k; p++)
            for (int j = 0; j < n; j++)
                columnSums[j] += transB ? b[j * k + p] : b[p * n + j];
    }
}
