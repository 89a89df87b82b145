using ILGPU;
using ILGPU.Runtime;

namespace GraphCompiler.Runtime.Devices;

/// <summary>
/// Reductions along each row of a row-major rows×cols matrix, one group per row: each thread folds a
/// strided part of the row, then <see cref="GroupReduce"/> combines the threads. Generated row
/// kernels use the same pattern inline; these launchers serve unfused reductions and tests.
/// </summary>
public sealed class RowReductions
{
    private readonly DeviceContext _device;
    internal RowReductions(DeviceContext device)
    {
        _device = device;
    }

    /// <summary><c>y[r] = Σ_c x[r, c]</c>; an empty row sums to 0.</summary>
    public void Sum(ArrayView<float> x, int rows, int cols, ArrayView<float> y) => Reduce<SumFold>(x, rows, cols, y);

    /// <summary><c>y[r] = max_c x[r, c]</c>; an empty row gives −∞ (the identity of max, as TensorFlow's reduce_max), a row with a NaN gives NaN.</summary>
    public void Max(ArrayView<float> x, int rows, int cols, ArrayView<float> y) => Reduce<MaxFold>(x, rows, cols, y);

    private void Reduce<TOp>(ArrayView<float> x, int rows, int cols, ArrayView<float> y)
        where TOp : struct, IFloatFold
    {
        if (rows < 0 || cols < 0) throw new ArgumentOutOfRangeException(nameof(rows), $"rows and cols must be non-negative; got {rows}×{cols}");
        if (x.Length < (long)rows * cols) throw new ArgumentException($"the input view has {x.Length} elements; a {rows}×{cols} matrix needs {(long)rows * cols}", nameof(x));
        if (y.Length < rows) throw new ArgumentException($"the output view has {y.Length} elements; {rows} rows need {rows}", nameof(y));
        if (rows == 0) return;
        var launch = _device.Kernels.Load<Action<ArrayView<float>, ArrayView<float>, int>, Action<KernelConfig, ArrayView<float>, ArrayView<float>, int>>(
            Kernel<TOp>, static (accelerator, kernel) => accelerator.LoadStreamKernel(kernel));
        launch(new KernelConfig(rows, _device.RowGroupSize), x, y, cols);
    }

    internal static void Kernel<TOp>(ArrayView<float> x, ArrayView<float> y, int cols)
        where TOp : struct, IFloatFold
    {
        TOp op = default;
        long start = (long)Grid.IdxX * cols;
        float partial = op.Identity;
        for (int c = Group.IdxX; c < cols; c += Group.DimX) partial = op.Apply(partial, x[start + c]);
        float total = GroupReduce.Reduce<TOp>(partial);
        if (Group.IsFirstThread) y[Grid.IdxX] = total;
    }
}
