using System.Numerics;

namespace GraphCompiler.Runtime.Execution;

/// <summary>
/// The library ops that generated code calls for non-fused kernels. This is the stable surface
/// between emitted code and the kernels: signatures here change only with the emitter.
/// All tensors are dense, row-major (C order).
/// </summary>
public static partial class CpuOps
{
    /// <summary>
    /// A dense layer in one kernel: c = act(op(a)·op(b) + bias), the bias [n] broadcast over the rows
    /// (empty for none), act the relu when <paramref name="relu"/>. The compiler emits this for a matmul
    /// whose only reader is a bias add (and that add's only reader a relu).
    /// </summary>
    public static void MatMulBiasActivation<T>(bool transA, bool transB, int m, int n, int k, ReadOnlySpan<T> a, ReadOnlySpan<T> b, ReadOnlySpan<T> bias, bool relu, Span<T> c)
        where T : unmanaged, INumber<T>
    {
        if (typeof(T) == typeof(float))
        {
            Kernels.Gemm.SgemmBiasActivation(transA, transB, m, n, k, Cast(a), transA ? m : k, Cast(b), transB ? k : n,
                Cast(bias), relu ? Kernels.GemmActivation.Relu : Kernels.GemmActivation.None, System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(c), n);
            return;
        }
        MatMul(transA, transB, m, n, k, a, b, c);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                T v = bias.IsEmpty ? c[i * n + j] : c[i * n + j] + bias[j];
                c[i * n + j] = relu && !(v > T.Zero) ? T.Zero : v;
            }
    }

    /// <summary>c[m,n] = op(a) · op(b); a is [m,k] (or [k,m] when transposed), b is [k,n] (or [n,k]).</summary>
    public static void MatMul<T>(bool transA, bool transB, int m, int n, int k, ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c)
        where T : unmanaged, INumber<T>
    {
        int lda = transA ? m : k, ldb = transB ? k : n;
        if (typeof(T) == typeof(float))
        {
            // float32 goes to the packed, blocked SIMD GEMM; other types take the plain loop below.
            Kernels.Gemm.Sgemm(transA, transB, m, n, k, 1f, Cast(a), lda, Cast(b), ldb, 0f, System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(c), n);
            return;
        }
        c.Slice(0, m * n).Clear();
        for (int i = 0; i < m; i++)
        {
            var row = c.Slice(i * n, n);
            for (int p = 0; p < k; p++)
            {
                T av = transA ? a[p * lda + i] : a[i * lda + p];
                if (T.IsZero(av)) continue;
                if (!transB)
                {
                    var brow = b.Slice(p * ldb, n);
                    for (int j = 0; j < n; j++) row[j] += av * brow[j];
                }
                else
                {
                    for (int j = 0; j < n; j++) row[j] += av * b[j * ldb + p];
                }
            }
        }
    }

    /// <summary>Sums x over the axes in <paramref name="axes"/> (sorted); y has x's shape without (or with size 1 at) those axes.</summary>
    public static void ReduceSum<T>(ReadOnlySpan<T> x, ReadOnlySpan<int> shape, ReadOnlySpan<int> axes, Span<T> y)
        where T : unmanaged, INumber<T>
    {
        Span<int> kept = stackalloc int[shape.Length];
        for (int i = 0; i < shape.Length; i++) kept[i] = axes.Contains(i) ? 1 : shape[i];
        SumTo(x, shape, y, kept);
    }

    /// <summary>Sums x (of xShape) down to yShape, which broadcasts to xShape (the gradient of broadcasting).</summary>
    public static void SumTo<T>(ReadOnlySpan<T> x, ReadOnlySpan<int> xShape, Span<T> y, ReadOnlySpan<int> yShape)
        where T : unmanaged, INumber<T>
    {
        if (typeof(T) == typeof(float))
        {
            Kernels.Broadcast.SumTo(Cast(x), xShape, System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(y), yShape);
            return;
        }
        int yCount = Count(yShape);
        y.Slice(0, yCount).Clear();
        if (yCount == 1)
        {
            T s = T.Zero;
            foreach (var v in x) s += v;
            y[0] = s;
            return;
        }
        int rank = xShape.Length, offset = rank - yShape.Length;
        Span<int> yStride = stackalloc int[rank];
        int stride = 1;
        for (int ax = rank - 1; ax >= 0; ax--)
        {
            int yAx = ax - offset;
            int yDim = yAx >= 0 ? yShape[yAx] : 1;
            yStride[ax] = yDim == 1 ? 0 : stride;
            stride *= yDim;
        }
        Span<int> coord = stackalloc int[rank];
        int yi = 0;
        for (int i = 0; i < x.Length; i++)
        {
            y[yi] += x[i];
            for (int ax = rank - 1; ax >= 0; ax--)
            {
                coord[ax]++;
                yi += yStride[ax];
                if (coord[ax] < xShape[ax]) break;
                yi -= yStride[ax] * coord[ax];
                coord[ax] = 0;
            }
        }
    }

    /// <summary>y = x with axes permuted: output axis i is input axis perm[i].</summary>
    public static void Transpose<T>(ReadOnlySpan<T> x, ReadOnlySpan<int> shape, ReadOnlySpan<int> perm, Span<T> y)
        where T : unmanaged
    {
        Kernels.Transpose.Permute(x, y, shape, perm);
    }

    /// <summary>y = x broadcast (NumPy rules) from xShape to yShape.</summary>
    public static void BroadcastTo<T>(ReadOnlySpan<T> x, ReadOnlySpan<int> xShape, Span<T> y, ReadOnlySpan<int> yShape)
        where T : unmanaged
    {
        Kernels.Broadcast.To(x, xShape, y, yShape);
    }

    private static ReadOnlySpan<float> Cast<T>(ReadOnlySpan<T> x) where T : unmanaged =>
        System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(x);

    public static int Count(ReadOnlySpan<int> shape)
    {
        int n = 1;
        foreach (var d in shape) n *= d;
        return n;
    }
}
