using GraphCompiler.Runtime.Execution;
using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Runtime;

namespace GraphCompiler.Runtime.Devices;

/// <summary>
/// The sampled-loss routines of word-embedding models on the device: the log-uniform candidate draw and sparse
/// Adagrad over the rows a lookup touched.
/// </summary>
/// <remarks>
/// The candidate draw is drawn on the host and its few ids copied in: it depends only on the seeds and the
/// step, never on device data, and it is a sequential rejection loop (draw until the ids are distinct) that
/// one GPU thread would run no faster than the host. Sharing the host's routine keeps the ids identical to the
/// CPU path's. Sparse Adagrad sorts the (id, position) keys (<see cref="SortedIdKeys"/>), then runs one thread
/// per (sorted key, column): a key whose id the previous key has skips, the first of each id sums the values
/// of its run in position order (the CPU's order) and updates the row, so duplicate ids need no atomics and
/// the result does not depend on thread order.
/// As in the other gathered-row routines, an id outside the table cannot throw on a device: its update is dropped.
/// </remarks>
public sealed partial class DeviceLibrary
{
    /// <summary>The distinct log-uniform candidate ids of (graph seed, op seed, step), as <see cref="CpuOps.LogUniformCandidates"/>.</summary>
    public void LogUniformCandidates(ArrayView<int> ids, int rangeMax, ulong graphSeed, ulong opSeed, ulong step)
    {
        var drawn = new int[ids.Length];
        CpuOps.LogUniformCandidates(drawn, rangeMax, graphSeed, opSeed, step);
        ids.CopyFromCPU(drawn);
    }

    /// <summary>The number of draws the same candidate draw made, written as a float scalar (<see cref="CpuOps.LogUniformCandidateTries"/>).</summary>
    public void LogUniformCandidateTries(ArrayView<float> tries, int numSampled, int rangeMax, ulong graphSeed, ulong opSeed, ulong step)
    {
        float[] value = [CpuOps.LogUniformCandidateTries(numSampled, rangeMax, graphSeed, opSeed, step)];
        tries.SubView(0, 1).CopyFromCPU(value);
    }

    /// <summary>
    /// <c>sparse_adagrad</c>: every row r the ids touch becomes <c>table[r] − lr · G / √(a[r] + G²)</c>, G the sum of the
    /// values whose id is r (<see cref="CpuOps.SparseAdagrad{T, TIndex}"/>); the accumulator is read, not written.
    /// </summary>
    public void SparseAdagrad(ArrayView<float> values, int rowLength, ArrayView<int> ids, ArrayView<float> accumulator, ArrayView<float> table, ArrayView<float> learningRate) =>
        SparseRows(values, rowLength, ids, accumulator, table, learningRate, accumulate: false);

    /// <summary><c>sparse_adagrad_accumulate</c>: accumulator[r] += G² for every touched row r.</summary>
    public void SparseAdagradAccumulate(ArrayView<float> values, int rowLength, ArrayView<int> ids, ArrayView<float> accumulator) =>
        SparseRows(values, rowLength, ids, accumulator, accumulator, default, accumulate: true);

    private void SparseRows(ArrayView<float> values, int rowLength, ArrayView<int> ids, ArrayView<float> accumulator, ArrayView<float> table, ArrayView<float> learningRate, bool accumulate)
    {
        long count = ids.Length * (long)rowLength;
        if (count == 0) return;
        if (values.Length < count) throw new ArgumentException($"{ids.Length} ids of rows of {rowLength} need {count} values; got {values.Length}.", nameof(values));
        var keys = SortedIdKeys(ids);
        _device.Kernels.Auto<ArrayView<float>, ArrayView<long>, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int>(SparseAdagradKernel)(
            (int)count, values, keys, accumulator, table, learningRate, rowLength, accumulate ? 1 : 0);
    }

    internal static void SparseAdagradKernel(Index1D i, ArrayView<float> values, ArrayView<long> keys, ArrayView<float> accumulator, ArrayView<float> table,
        ArrayView<float> learningRate, int rowLength, int accumulate)
    {
        int first = i / rowLength, column = i % rowLength, id = IdOf(keys[first]);
        if ((uint)id >= (uint)(table.Length / rowLength)) return;
        if (first > 0 && IdOf(keys[first - 1]) == id) return;
        float g = 0f;
        for (int k = first; k < keys.Length && IdOf(keys[k]) == id; k++)
            g += values[(long)PositionOf(keys[k]) * rowLength + column];
        long at = (long)id * rowLength + column;
        if (accumulate != 0) accumulator[at] += g * g;
        else table[at] -= learningRate[0] * (g / XMath.Sqrt(accumulator[at] + g * g));
    }
}
