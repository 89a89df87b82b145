using ILGPU;
using ILGPU.Runtime;

namespace GraphCompiler.Runtime.Devices;

/// <summary>
/// The per-step data movement of a loop region on the device. A sequence is batch-major
/// <c>[rows, time, inner]</c>, so step t of it is <paramref name="rows"/> blocks of <c>inner</c> elements,
/// <c>time · inner</c> apart; a per-step output is stacked the same way. Both are strided row copies between
/// device views at offsets the host computes from t: nothing crosses to the host while the loop runs.
/// </summary>
public sealed partial class DeviceLibrary
{
    /// <summary>
    /// Step <paramref name="t"/> of <paramref name="sequence"/> (<c>[rows, time, inner]</c>) as a contiguous
    /// <c>[rows, inner]</c> view: in place when there is one row (a row is contiguous over time), otherwise
    /// gathered into <paramref name="step"/>.
    /// </summary>
    public ArrayView<T> SequenceStep<T>(ArrayView<T> sequence, ArrayView<T> step, int rows, int time, int inner, int t) where T : unmanaged
    {
        if (rows == 1) return sequence.SubView((long)t * inner, inner);
        CopyRows(sequence, (long)t * inner, (long)time * inner, step, 0, inner, rows, inner);
        return step.SubView(0, (long)rows * inner);
    }

    /// <summary>Writes one step's <c>[rows, width]</c> <paramref name="value"/> into row block t of <paramref name="stacked"/> (<c>[rows, time, width]</c>).</summary>
    public void StackStep<T>(ArrayView<T> value, ArrayView<T> stacked, int rows, int time, int width, int t) where T : unmanaged =>
        CopyRows(value, 0, width, stacked, (long)t * width, (long)time * width, rows, width);

    /// <summary><c>y[yOffset + r·yStride + i] = x[xOffset + r·xStride + i]</c> for r &lt; <paramref name="rows"/>, i &lt; <paramref name="width"/>.</summary>
    public void CopyRows<T>(ArrayView<T> x, long xOffset, long xStride, ArrayView<T> y, long yOffset, long yStride, int rows, int width) where T : unmanaged
    {
        long count = (long)rows * width;
        if (count == 0) return;
        // One block (or blocks that touch end to end on both sides) is one device-to-device copy, no kernel.
        if (rows == 1 || (xStride == width && yStride == width))
        {
            x.SubView(xOffset, count).CopyTo(y.SubView(yOffset, count));
            return;
        }
        var rowsOf = new RowBlocks(width, (int)xStride, (int)yStride);
        _device.Kernels.Auto<ArrayView<T>, ArrayView<T>, RowBlocks>(CopyRowsKernel)((int)count, x.SubView(xOffset, x.Length - xOffset), y.SubView(yOffset, y.Length - yOffset), rowsOf);
    }

    /// <summary>The geometry of a strided row copy. Public for ILGPU's CPU launcher.</summary>
    public readonly record struct RowBlocks(int Width, int XStride, int YStride);

    internal static void CopyRowsKernel<T>(Index1D i, ArrayView<T> x, ArrayView<T> y, RowBlocks blocks) where T : unmanaged
    {
        int r = i / blocks.Width, c = i - r * blocks.Width;
        y[r * blocks.YStride + c] = x[r * blocks.XStride + c];
    }
}
