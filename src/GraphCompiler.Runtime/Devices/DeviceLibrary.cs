using ILGPU;
using ILGPU.Runtime;

namespace GraphCompiler.Runtime.Devices;

/// <summary>
/// The library routines of generated device code for the ops that are not fused kernels: layout
/// (broadcast, transpose), reductions over any axes, arg-max/min, gathers, one-hot and fills. Shapes
/// are given on the host; the kernels take them as a <see cref="StridedMap"/>. One thread per output
/// element: these ops move or fold few elements per output in the models they serve, and the hot
/// paths (fused elementwise chains, row reductions, GEMMs) have kernels of their own.
/// </summary>
public sealed partial class DeviceLibrary
{
    private readonly DeviceContext _device;

    internal DeviceLibrary(DeviceContext device)
    {
        _device = device;
    }

    /// <summary>y = x broadcast (NumPy rules, aligned at the last dim) from <paramref name="xShape"/> to <paramref name="yShape"/>.</summary>
    public void BroadcastTo<T>(ArrayView<T> x, int[] xShape, ArrayView<T> y, int[] yShape) where T : unmanaged
    {
        Map(x, y, StridedMap.Broadcast(xShape, yShape));
    }

    /// <summary>y = x with its axes permuted: y's axis a is x's axis <c>perm[a]</c>.</summary>
    public void Transpose<T>(ArrayView<T> x, int[] xShape, int[] perm, ArrayView<T> y) where T : unmanaged
    {
        var xStrides = StridedMap.RowMajorStrides(xShape);
        Map(x, y, StridedMap.Of(perm.Select(p => xShape[p]).ToArray(), perm.Select(p => xStrides[p]).ToArray()));
    }

    /// <summary>y = the fold of x over <paramref name="axes"/>, in y's order of the kept axes (keepdims or not: the same elements).</summary>
    public void Reduce<TFold>(ArrayView<float> x, int[] xShape, int[] axes, ArrayView<float> y) where TFold : struct, IFloatFold
    {
        var strides = StridedMap.RowMajorStrides(xShape);
        var kept = Enumerable.Range(0, xShape.Length).Where(a => Array.IndexOf(axes, a) < 0).ToArray();
        var reduced = Enumerable.Range(0, xShape.Length).Where(a => Array.IndexOf(axes, a) >= 0).ToArray();
        var keptMap = StridedMap.Of(kept.Select(a => xShape[a]).ToArray(), kept.Select(a => strides[a]).ToArray());
        var reducedMap = StridedMap.Of(reduced.Select(a => xShape[a]).ToArray(), reduced.Select(a => strides[a]).ToArray());
        long outputs = keptMap.Count;
        if (outputs == 0) return;
        var launch = _device.Kernels.Auto<ArrayView<float>, ArrayView<float>, StridedMap, StridedMap>(ReduceKernel<TFold>);
        launch((int)outputs, x, y, keptMap, reducedMap);
    }

    /// <summary>y = x summed down to <paramref name="yShape"/> (the gradient of a broadcast to x's shape).</summary>
    public void SumTo(ArrayView<float> x, int[] xShape, ArrayView<float> y, int[] yShape)
    {
        int offset = xShape.Length - yShape.Length;
        var axes = Enumerable.Range(0, xShape.Length).Where(a => a < offset || (yShape[a - offset] == 1 && xShape[a] != 1)).ToArray();
        Reduce<SumFold>(x, xShape, axes, y);
    }

    /// <summary>y = the int64 index of the first largest (or smallest) x along <paramref name="axis"/>; NaN wins, as on the CPU.</summary>
    public void ArgExtreme(ArrayView<float> x, int[] shape, int axis, bool largest, ArrayView<long> y)
    {
        var strides = StridedMap.RowMajorStrides(shape);
        var kept = Enumerable.Range(0, shape.Length).Where(a => a != axis).ToArray();
        var keptMap = StridedMap.Of(kept.Select(a => shape[a]).ToArray(), kept.Select(a => strides[a]).ToArray());
        long outputs = keptMap.Count;
        if (outputs == 0) return;
        var launch = _device.Kernels.Auto<ArrayView<float>, ArrayView<long>, StridedMap, int, int, int>(ArgKernel);
        launch((int)outputs, x, y, keptMap, shape[axis], strides[axis], largest ? 1 : 0);
    }

    /// <summary>y[o, i, j] = p[o, indices[i], j] (p viewed as outer × axis × inner); an out-of-range index gives zeros, as TensorFlow on a GPU.</summary>
    public void Gather<T>(ArrayView<T> p, int outer, int axis, int inner, ArrayView<int> indices, ArrayView<T> y) where T : unmanaged
    {
        long count = (long)outer * indices.Length * inner;
        if (count == 0) return;
        var launch = _device.Kernels.Auto<ArrayView<T>, ArrayView<int>, ArrayView<T>, int, int>(GatherKernel);
        launch((int)count, p, indices, y, axis, inner);
    }

    /// <inheritdoc cref="Gather{T}(ArrayView{T}, int, int, int, ArrayView{int}, ArrayView{T})"/>
    public void Gather<T>(ArrayView<T> p, int outer, int axis, int inner, ArrayView<long> indices, ArrayView<T> y) where T : unmanaged
    {
        long count = (long)outer * indices.Length * inner;
        if (count == 0) return;
        _device.Kernels.Auto<ArrayView<T>, ArrayView<long>, ArrayView<T>, int, int>(GatherKernel64)((int)count, p, indices, y, axis, inner);
    }

    /// <summary>y[o, d, j] = indices[o, j] == d ? on : off, for d below <paramref name="depth"/> (indices viewed as outer × inner).</summary>
    public void OneHot(ArrayView<int> indices, int outer, int depth, int inner, float on, float off, ArrayView<float> y)
    {
        long count = (long)outer * depth * inner;
        if (count == 0) return;
        var launch = _device.Kernels.Auto<ArrayView<int>, ArrayView<float>, int, int, float, float>(OneHotKernel);
        launch((int)count, indices, y, depth, inner, on, off);
    }

    /// <summary>Every element of <paramref name="y"/> set to <paramref name="value"/>.</summary>
    public void Fill<T>(ArrayView<T> y, T value) where T : unmanaged
    {
        if (y.Length == 0) return;
        var launch = _device.Kernels.Auto<ArrayView<T>, T>(FillKernel);
        launch((int)y.Length, y, value);
    }

    /// <summary>y = x element for element (a reshape, an unfused copy), on the device.</summary>
    public static void Copy<T>(ArrayView<T> x, ArrayView<T> y) where T : unmanaged
    {
        if (y.Length > 0) x.SubView(0, y.Length).CopyTo(y);
    }

    private void Map<T>(ArrayView<T> x, ArrayView<T> y, StridedMap map) where T : unmanaged
    {
        long count = map.Count;
        if (count == 0) return;
        var launch = _device.Kernels.Auto<ArrayView<T>, ArrayView<T>, StridedMap>(MapKernel);
        launch((int)count, x, y, map);
    }

    internal static void MapKernel<T>(Index1D i, ArrayView<T> x, ArrayView<T> y, StridedMap map) where T : unmanaged =>
        y[i] = x[map.Offset(i)];

    internal static void ReduceKernel<TFold>(Index1D i, ArrayView<float> x, ArrayView<float> y, StridedMap kept, StridedMap reduced) where TFold : struct, IFloatFold
    {
        TFold fold = default;
        long start = kept.Offset(i);
        long n = reduced.Count;
        float acc = fold.Identity;
        for (long r = 0; r < n; r++) acc = fold.Apply(acc, x[start + reduced.Offset(r)]);
        y[i] = acc;
    }

    internal static void ArgKernel(Index1D i, ArrayView<float> x, ArrayView<long> y, StridedMap kept, int length, int stride, int largest)
    {
        long start = kept.Offset(i);
        long best = 0;
        float bestValue = length > 0 ? x[start] : 0f;
        for (int j = 1; j < length; j++)
        {
            float v = x[start + (long)j * stride];
            if (float.IsNaN(bestValue)) break;
            if (float.IsNaN(v) || (largest != 0 ? v > bestValue : v < bestValue))
            {
                best = j;
                bestValue = v;
            }
        }
        y[i] = best;
    }

    internal static void GatherKernel<T>(Index1D i, ArrayView<T> p, ArrayView<int> indices, ArrayView<T> y, int axis, int inner) where T : unmanaged
    {
        long n = indices.Length;
        long j = i % inner, rest = i / inner;
        long k = rest % n, o = rest / n;
        int row = indices[k];
        y[i] = (uint)row < (uint)axis ? p[(o * axis + row) * inner + j] : default;
    }

    internal static void GatherKernel64<T>(Index1D i, ArrayView<T> p, ArrayView<long> indices, ArrayView<T> y, int axis, int inner) where T : unmanaged
    {
        long n = indices.Length;
        long j = i % inner, rest = i / inner;
        long k = rest % n, o = rest / n;
        long row = indices[k];
        y[i] = (ulong)row < (ulong)axis ? p[(o * axis + row) * inner + j] : default;
    }

    internal static void OneHotKernel(Index1D i, ArrayView<int> indices, ArrayView<float> y, int depth, int inner, float on, float off)
    {
        long j = i % inner, rest = i / inner;
        long d = rest % depth, o = rest / depth;
        y[i] = indices[o * inner + j] == d ? on : off;
    }

    internal static void FillKernel<T>(Index1D i, ArrayView<T> y, T value) where T : unmanaged => y[i] = value;
}

/// <summary>Multiplication, for reduce_prod.</summary>
public readonly struct ProductFold : IFloatFold
{
    /// <inheritdoc />
    public float Identity => 1f;

    /// <inheritdoc />
    public float Apply(float a, float b) => a * b;
}

/// <summary>Minimum, with +∞ as identity and NaN winning.</summary>
public readonly struct MinFold : IFloatFold
{
    /// <inheritdoc />
    public float Identity => float.PositiveInfinity;

    /// <inheritdoc />
    public float Apply(float a, float b) => float.IsNaN(a) || a < b ? a : b;
}
