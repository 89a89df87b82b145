using ILGPU;
using ILGPU.Runtime;

namespace GraphCompiler.Runtime.Devices;

/// <summary>
/// The gathered-row ops of sparse embedding models (word2vec, GloVe): a table [rows, width] read or
/// updated at the rows that ids pick, each id paired with a row of a [batch, width] operand (the ids
/// below batch row b are k = ids / batch consecutive ones). As in <see cref="RowIndexing"/>, an id
/// outside the table cannot throw on a device: it reads zeros and its update is dropped. Updates use
/// atomic adds, so repeated ids accumulate (in an order that may differ between runs).
/// </summary>
public sealed partial class DeviceLibrary
{
    /// <summary><c>gather_dot</c>: output[i] = table[ids[i], :] · x[i / k, :], one thread per id.</summary>
    public void GatherDot(ArrayView<float> table, int width, ArrayView<int> ids, ArrayView<float> x, ArrayView<float> output)
    {
        if (ids.Length == 0) return;
        _device.Kernels.Auto<ArrayView<float>, ArrayView<int>, ArrayView<float>, ArrayView<float>, RowPairing>(GatherDotKernel)(
            (int)ids.Length, table, ids, x, output, Pairing(table, width, ids, x));
    }

    /// <summary>
    /// <c>gather_weighted_sum</c>: output[b, c] = addend[b, c] + Σⱼ weights[b·k + j] · table[ids[b·k + j], c],
    /// one thread per output element (a fixed order of the sum, no atomics); an empty addend adds nothing.
    /// </summary>
    public void GatherWeightedSum(ArrayView<float> table, int width, ArrayView<int> ids, ArrayView<float> weights, ArrayView<float> addend, ArrayView<float> output)
    {
        if (output.Length == 0) return;
        _device.Kernels.Auto<ArrayView<float>, ArrayView<int>, ArrayView<float>, ArrayView<float>, ArrayView<float>, RowPairing>(GatherWeightedSumKernel)(
            (int)output.Length, table, ids, weights, addend.Length == 0 ? output : addend, output, Pairing(table, width, ids, output) with { HasAddend = addend.Length == 0 ? 0 : 1 });
    }

    /// <summary><c>row_outer</c>: output[i, c] = coef[i] · vec[i / k, c].</summary>
    public void RowOuter(ArrayView<float> coef, ArrayView<float> vec, int width, ArrayView<float> output)
    {
        long count = coef.Length * width;
        if (count == 0) return;
        _device.Kernels.Auto<ArrayView<float>, ArrayView<float>, ArrayView<float>, RowPairing>(RowOuterKernel)(
            (int)count, coef, vec, output, Pairing(default, width, coef.Length, vec.Length));
    }

    /// <summary>Sparse gradient descent on a row-outer gradient: table[ids[i], c] −= lr[0] · coef[i] · vec[i / k, c], as the CPU's scatter.</summary>
    public void ScatterOuterRowsDescent(ArrayView<float> coef, ArrayView<float> vec, int width, ArrayView<int> ids, ArrayView<float> table, ArrayView<float> learningRate)
    {
        long count = ids.Length * width;
        if (count == 0) return;
        _device.Kernels.Auto<ArrayView<float>, ArrayView<float>, ArrayView<int>, ArrayView<float>, ArrayView<float>, RowPairing>(ScatterOuterRowsKernel)(
            (int)count, coef, vec, ids, table, learningRate, Pairing(table, width, ids, vec));
    }

    /// <summary>Sparse gradient descent on gathered rows: table[ids[i], c] −= lr[0] · values[i, c].</summary>
    public void ScatterRowsDescent(ArrayView<float> values, int width, ArrayView<int> ids, ArrayView<float> table, ArrayView<float> learningRate)
    {
        long count = ids.Length * width;
        if (count == 0) return;
        _device.Kernels.Auto<ArrayView<float>, ArrayView<int>, ArrayView<float>, ArrayView<float>, RowPairing>(ScatterRowsKernel)(
            (int)count, values, ids, table, learningRate, Pairing(table, width, ids.Length, ids.Length * (long)width));
    }

    /// <inheritdoc cref="ScatterRowsDescent(ArrayView{float}, int, ArrayView{int}, ArrayView{float}, ArrayView{float})"/>
    public void ScatterRowsDescent(ArrayView<float> values, int width, ArrayView<long> ids, ArrayView<float> table, ArrayView<float> learningRate)
    {
        long count = ids.Length * width;
        if (count == 0) return;
        _device.Kernels.Auto<ArrayView<float>, ArrayView<long>, ArrayView<float>, ArrayView<float>, RowPairing>(ScatterRowsKernel64)(
            (int)count, values, ids, table, learningRate, Pairing(table, width, ids.Length, count));
    }

    /// <summary><c>sparse_rows</c>' scatter: table[ids[i], c] += values[i, c] (the table zeroed first by the caller).</summary>
    public void ScatterAddRows(ArrayView<float> values, int width, ArrayView<int> ids, ArrayView<float> table)
    {
        long count = ids.Length * width;
        if (count == 0) return;
        _device.Kernels.Auto<ArrayView<float>, ArrayView<int>, ArrayView<float>, RowPairing>(ScatterAddRowsKernel)((int)count, values, ids, table, Pairing(table, width, ids.Length, count));
    }

    /// <inheritdoc cref="ScatterAddRows(ArrayView{float}, int, ArrayView{int}, ArrayView{float})"/>
    public void ScatterAddRows(ArrayView<float> values, int width, ArrayView<long> ids, ArrayView<float> table)
    {
        long count = ids.Length * width;
        if (count == 0) return;
        _device.Kernels.Auto<ArrayView<float>, ArrayView<long>, ArrayView<float>, RowPairing>(ScatterAddRowsKernel64)((int)count, values, ids, table, Pairing(table, width, ids.Length, count));
    }

    /// <summary>How ids pair with a table's rows and an operand's rows. Public for ILGPU's CPU launcher.</summary>
    public readonly record struct RowPairing(int Width, int TableRows, int PerRow, int HasAddend);

    private static RowPairing Pairing(ArrayView<float> table, int width, ArrayView<int> ids, ArrayView<float> operand) =>
        Pairing(table, width, ids.Length, operand.Length);

    private static RowPairing Pairing(ArrayView<float> table, int width, long ids, long operand)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(width);
        long rows = width == 0 ? 0 : table.Length / width, batch = width == 0 ? 0 : operand / width;
        return new RowPairing(width, (int)rows, batch == 0 ? 1 : (int)(ids / batch), 0);
    }

    internal static void GatherDotKernel(Index1D i, ArrayView<float> table, ArrayView<int> ids, ArrayView<float> x, ArrayView<float> output, RowPairing p)
    {
        int row = ids[i];
        float sum = 0f;
        if ((uint)row < (uint)p.TableRows)
        {
            long t = (long)row * p.Width, at = (long)((int)i / p.PerRow) * p.Width;
            for (int c = 0; c < p.Width; c++) sum += table[t + c] * x[at + c];
        }
        output[i] = sum;
    }

    internal static void GatherWeightedSumKernel(Index1D i, ArrayView<float> table, ArrayView<int> ids, ArrayView<float> weights, ArrayView<float> addend, ArrayView<float> output, RowPairing p)
    {
        long b = i / p.Width, c = i % p.Width;
        float sum = p.HasAddend != 0 ? addend[i] : 0f;
        for (long j = b * p.PerRow, end = j + p.PerRow; j < end; j++)
        {
            int row = ids[j];
            if ((uint)row < (uint)p.TableRows) sum += weights[j] * table[row * (long)p.Width + c];
        }
        output[i] = sum;
    }

    internal static void RowOuterKernel(Index1D i, ArrayView<float> coef, ArrayView<float> vec, ArrayView<float> output, RowPairing p)
    {
        long k = i / p.Width, c = i % p.Width;
        output[i] = coef[k] * vec[k / p.PerRow * p.Width + c];
    }

    internal static void ScatterOuterRowsKernel(Index1D i, ArrayView<float> coef, ArrayView<float> vec, ArrayView<int> ids, ArrayView<float> table, ArrayView<float> learningRate, RowPairing p)
    {
        long k = i / p.Width, c = i % p.Width;
        int row = ids[k];
        if ((uint)row < (uint)p.TableRows)
            Atomic.Add(ref table[row * (long)p.Width + c], -learningRate[0] * coef[k] * vec[k / p.PerRow * p.Width + c]);
    }

    internal static void ScatterAddRowsKernel(Index1D i, ArrayView<float> values, ArrayView<int> ids, ArrayView<float> table, RowPairing p)
    {
        int row = ids[i / p.Width];
        if ((uint)row < (uint)p.TableRows) Atomic.Add(ref table[row * (long)p.Width + i % p.Width], values[i]);
    }

    internal static void ScatterAddRowsKernel64(Index1D i, ArrayView<float> values, ArrayView<long> ids, ArrayView<float> table, RowPairing p)
    {
        long row = ids[i / p.Width];
        if ((ulong)row < (ulong)p.TableRows) Atomic.Add(ref table[row * p.Width + i % p.Width], values[i]);
    }

    internal static void ScatterRowsKernel64(Index1D i, ArrayView<float> values, ArrayView<long> ids, ArrayView<float> table, ArrayView<float> learningRate, RowPairing p)
    {
        long row = ids[i / p.Width];
        if ((ulong)row < (ulong)p.TableRows)
            Atomic.Add(ref table[row * p.Width + i % p.Width], -learningRate[0] * values[i]);
    }

    internal static void ScatterRowsKernel(Index1D i, ArrayView<float> values, ArrayView<int> ids, ArrayView<float> table, ArrayView<float> learningRate, RowPairing p)
    {
        int row = ids[i / p.Width];
        if ((uint)row < (uint)p.TableRows)
            Atomic.Add(ref table[row * (long)p.Width + i % p.Width], -learningRate[0] * values[i]);
    }
}
