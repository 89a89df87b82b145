using ILGPU;
using ILGPU.Runtime;

namespace GraphCompiler.Runtime.Devices;

/// <summary>
/// Row gathers from a table (embedding look-ups) and row scatter-adds into it (their gradients), over
/// row-major tables of <c>tableRows × width</c> floats. One thread per element of the gathered rows.
/// ILGPU.Algorithms has no gather or scatter by row index, hence these kernels. Out-of-range indices
/// cannot throw on a device; they behave as TensorFlow's on a GPU: a gathered row is zeros, a scattered
/// row is dropped.
/// </summary>
public sealed class RowIndexing
{
    private readonly DeviceContext _device;

    internal RowIndexing(DeviceContext device)
    {
        _device = device;
    }

    /// <summary><c>output[i, :] = table[indices[i], :]</c> for every i of <paramref name="indices"/>.</summary>
    public void Gather(ArrayView<float> table, int tableRows, int width, ArrayView<int> indices, ArrayView<float> output)
    {
        long elements = Check(table, tableRows, width, indices, output, nameof(output));
        if (elements == 0) return;
        var launch = _device.Kernels.Auto<ArrayView<float>, ArrayView<int>, ArrayView<float>, int, int>(GatherKernel);
        launch((int)elements, table, indices, output, tableRows, width);
    }

    /// <summary>
    /// <c>table[indices[i], :] += rows[i, :]</c> for every i, with atomic adds, so that rows repeated in
    /// <paramref name="indices"/> all accumulate (in an order that may differ between runs, so float sums
    /// may differ in the last bits).
    /// </summary>
    public void ScatterAdd(ArrayView<float> rows, ArrayView<int> indices, ArrayView<float> table, int tableRows, int width)
    {
        long elements = Check(table, tableRows, width, indices, rows, nameof(rows));
        if (elements == 0) return;
        var launch = _device.Kernels.Auto<ArrayView<float>, ArrayView<int>, ArrayView<float>, int, int>(ScatterAddKernel);
        launch((int)elements, rows, indices, table, tableRows, width);
    }

    private static long Check(ArrayView<float> table, int tableRows, int width, ArrayView<int> indices, ArrayView<float> rows, string rowsName)
    {
        if (tableRows < 0 || width < 0) throw new ArgumentOutOfRangeException(nameof(tableRows), $"table sizes must be non-negative; got {tableRows}×{width}");
        if (table.Length < (long)tableRows * width) throw new ArgumentException($"the table view has {table.Length} elements; {tableRows}×{width} needs {(long)tableRows * width}", nameof(table));
        long elements = indices.Length * width;
        if (rows.Length < elements) throw new ArgumentException($"the rows view has {rows.Length} elements; {indices.Length} rows of {width} need {elements}", rowsName);
        if (elements > int.MaxValue) throw new ArgumentException($"{elements} gathered elements exceed one launch ({int.MaxValue})", nameof(indices));
        return elements;
    }

    internal static void GatherKernel(Index1D i, ArrayView<float> table, ArrayView<int> indices, ArrayView<float> output, int tableRows, int width)
    {
        int row = indices[i / width];
        output[i] = (uint)row < (uint)tableRows ? table[(long)row * width + i % width] : 0f;
    }

    internal static void ScatterAddKernel(Index1D i, ArrayView<float> rows, ArrayView<int> indices, ArrayView<float> table, int tableRows, int width)
    {
        int row = indices[i / width];
        if ((uint)row < (uint)tableRows) Atomic.Add(ref table[(long)row * width + i % width], rows[i]);
    }
}
