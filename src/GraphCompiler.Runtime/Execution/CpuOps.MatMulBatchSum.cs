using System.Numerics;
using System.Runtime.InteropServices;

namespace GraphCompiler.Runtime.Execution;

public static partial class CpuOps
{
    /// <summary>
    /// c[m,n] = Σᵢ op(aᵢ)·op(bᵢ) over <paramref name="batch"/> consecutive pairs of matrices: the gradient of a
    /// matrix that a batched product shares across its items (dW of x:[batch, n, d] · W:[d, k]). With op(a) = aᵀ
    /// and op(b) = b the items stack along the contracted axis of both operands as stored, so the sum is one GEMM
    /// over batch·k; other layouts accumulate item by item into c.
    /// </summary>
    public static void MatMulBatchSum<T>(bool transA, bool transB, int batch, int m, int n, int k, ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c)
        where T : unmanaged, INumber<T>
    {
        if (batch == 0 || k == 0)
        {
            c.Slice(0, m * n).Clear();
            return;
        }
        if (transA && !transB)
        {
            MatMul(true, false, m, n, batch * k, a, b, c);
            return;
        }
        int aSize = m * k, bSize = k * n;
        if (typeof(T) == typeof(float))
        {
            var cf = MemoryMarshal.Cast<T, float>(c);
            for (int i = 0; i < batch; i++)
                Kernels.Gemm.Sgemm(transA, transB, m, n, k, 1f, Cast(a.Slice(i * aSize, aSize)), transA ? m : k,
                    Cast(b.Slice(i * bSize, bSize)), transB ? k : n, i == 0 ? 0f : 1f, cf, n);
            return;
        }
        var item = new T[m * n];
        c.Slice(0, m * n).Clear();
        for (int i = 0; i < batch; i++)
        {
            MatMul(transA, transB, m, n, k, a.Slice(i * aSize, aSize), b.Slice(i * bSize, bSize), item);
            for (int j = 0; j < item.Length; j++) c[j] += item[j];
        }
    }
}
