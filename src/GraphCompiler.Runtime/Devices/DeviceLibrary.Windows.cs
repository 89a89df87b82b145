using GraphCompiler.Runtime.Execution;
using ILGPU;
using ILGPU.Runtime;

namespace GraphCompiler.Runtime.Devices;

/// <summary>
/// Windows into tensors: concat, strided slices and their gradient, constant padding and tile. Each is
/// one read or write through a <see cref="StridedMap"/> from a start offset, the bounds checked on the
/// host with the CPU kernels' rules and messages (<see cref="CpuOps.StridedSlice"/>), because a kernel
/// cannot throw.
/// </summary>
public sealed partial class DeviceLibrary
{
    /// <summary>Copies one concat input into its place: x is <paramref name="outer"/> rows of <paramref name="part"/> elements, written at column <paramref name="offset"/> of y's rows of <paramref name="width"/> (as <see cref="CpuOps.ConcatPart"/>).</summary>
    public void ConcatPart<T>(ArrayView<T> x, int outer, int part, int width, int offset, ArrayView<T> y) where T : unmanaged =>
        WindowWrite(x, y, offset, StridedMap.Of([outer, part], [width, 1]));

    /// <summary>y = the strided window of x, <c>y[i] = x[begin + i·strides]</c> per axis, a negative begin counting from the end (as <see cref="CpuOps.StridedSlice"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The window leaves x on some axis.</exception>
    public void StridedSlice<T>(ArrayView<T> x, int[] xShape, int[] begin, int[] strides, ArrayView<T> y, int[] yShape) where T : unmanaged
    {
        if (Count(yShape) == 0) return;
        var step = new int[xShape.Length];
        int start = CpuOps.WindowStart(xShape, begin, strides, yShape, step, "strided_slice");
        WindowRead(x, y, start, StridedMap.Of(yShape, step));
    }

    /// <summary>y (of <paramref name="yShape"/>) is <paramref name="fill"/> except the strided window, which holds x: a strided slice's gradient (fill 0) and constant padding (as <see cref="CpuOps.StridedPlace"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The window leaves y on some axis.</exception>
    public void StridedPlace<T>(ArrayView<T> x, int[] xShape, int[] begin, int[] strides, T fill, ArrayView<T> y, int[] yShape) where T : unmanaged
    {
        Fill(y.SubView(0, Count(yShape)), fill);
        if (Count(xShape) == 0) return;
        var step = new int[yShape.Length];
        int start = CpuOps.WindowStart(yShape, begin, strides, xShape, step, "strided_slice_grad");
        WindowWrite(x, y, start, StridedMap.Of(xShape, step));
    }

    /// <summary>y = x repeated along each axis, <c>y[i] = x[i mod xShape]</c> (<c>tf.tile</c>).</summary>
    /// <remarks>
    /// y is read as x broadcast over interleaved (repeat, dim) axes, [m0, d0, m1, d1, …] with strides
    /// [0, s0, 0, s1, …]; axes of size one are dropped, so up to three axes that are both repeated and
    /// longer than one fit the map's <see cref="StridedMap.MaxRank"/>.
    /// </remarks>
    public void Tile<T>(ArrayView<T> x, int[] xShape, ArrayView<T> y, int[] yShape) where T : unmanaged
    {
        var xStrides = StridedMap.RowMajorStrides(xShape);
        var dims = new List<int>();
        var strides = new List<int>();
        for (int a = 0; a < xShape.Length; a++)
        {
            int repeats = xShape[a] == 0 ? 0 : yShape[a] / xShape[a];
            if (repeats != 1) { dims.Add(repeats); strides.Add(0); }
            if (xShape[a] != 1) { dims.Add(xShape[a]); strides.Add(xStrides[a]); }
        }
        if (Count(yShape) > 0) WindowRead(x, y, 0, StridedMap.Of(dims.ToArray(), strides.ToArray()));
    }

    private static long Count(int[] shape) => shape.Aggregate(1L, (n, d) => n * d);

    private void WindowRead<T>(ArrayView<T> x, ArrayView<T> y, long start, StridedMap map) where T : unmanaged
    {
        long count = map.Count;
        if (count == 0) return;
        _device.Kernels.Auto<ArrayView<T>, ArrayView<T>, long, StridedMap>(WindowReadKernel)((int)count, x, y, start, map);
    }

    private void WindowWrite<T>(ArrayView<T> x, ArrayView<T> y, long start, StridedMap map) where T : unmanaged
    {
        long count = map.Count;
        if (count == 0) return;
        _device.Kernels.Auto<ArrayView<T>, ArrayView<T>, long, StridedMap>(WindowWriteKernel)((int)count, x, y, start, map);
    }

    internal static void WindowReadKernel<T>(Index1D i, ArrayView<T> x, ArrayView<T> y, long start, StridedMap map) where T : unmanaged =>
        y[i] = x[start + map.Offset(i)];

    internal static void WindowWriteKernel<T>(Index1D i, ArrayView<T> x, ArrayView<T> y, long start, StridedMap map) where T : unmanaged =>
        y[start + map.Offset(i)] = x[i];
}
