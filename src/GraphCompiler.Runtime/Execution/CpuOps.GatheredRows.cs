using System.Numerics;
using System.Runtime.InteropServices;

namespace GraphCompiler.Runtime.Execution;

public static partial class CpuOps
{
    /// <summary>
    /// <c>gather_dot</c>: output[i] = table[ids[i], :] · x[i / k, :] with k = ids.Length / batch, the
    /// table [rows, <paramref name="rowLength"/>] and x [batch, rowLength].
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An id is outside the table; the message names it and its position.</exception>
    public static void GatherDot<T, TIndex>(ReadOnlySpan<T> table, int rowLength, ReadOnlySpan<TIndex> ids, ReadOnlySpan<T> x, Span<T> output)
        where T : unmanaged, INumber<T>
        where TIndex : unmanaged, IBinaryInteger<TIndex>
    {
        if (typeof(T) == typeof(float) && typeof(TIndex) == typeof(int))
        {
            Kernels.Gather.RowDots(MemoryMarshal.Cast<T, float>(table), rowLength, MemoryMarshal.Cast<TIndex, int>(ids), MemoryMarshal.Cast<T, float>(x), MemoryMarshal.Cast<T, float>(output));
            return;
        }
        int perRow = CheckGatheredIds(table.Length, rowLength, x.Length, ids, "gather_dot");
        for (int i = 0; i < ids.Length; i++)
        {
            var row = table.Slice(int.CreateTruncating(ids[i]) * rowLength, rowLength);
            var xs = x.Slice(i / perRow * rowLength, rowLength);
            T sum = T.Zero;
            for (int c = 0; c < rowLength; c++) sum += row[c] * xs[c];
            output[i] = sum;
        }
    }

    /// <summary>
    /// <c>gather_weighted_sum</c>: output[b, :] = Σⱼ weights[b·k + j] · table[ids[b·k + j], :] with
    /// k = ids.Length / batch, the table [rows, <paramref name="rowLength"/>] and output [batch, rowLength].
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An id is outside the table; the message names it and its position.</exception>
    public static void GatherWeightedSum<T, TIndex>(ReadOnlySpan<T> table, int rowLength, ReadOnlySpan<TIndex> ids, ReadOnlySpan<T> weights, Span<T> output)
        where T : unmanaged, INumber<T>
        where TIndex : unmanaged, IBinaryInteger<TIndex> =>
        GatherWeightedSum(table, rowLength, ids, weights, default, output);

    /// <summary>
    /// <c>gather_weighted_sum</c> with an addend of the output's shape (empty for none): output[b, :] =
    /// addend[b, :] + Σⱼ weights[b·k + j] · table[ids[b·k + j], :], in the same pass.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An id is outside the table; the message names it and its position.</exception>
    public static void GatherWeightedSum<T, TIndex>(ReadOnlySpan<T> table, int rowLength, ReadOnlySpan<TIndex> ids, ReadOnlySpan<T> weights, ReadOnlySpan<T> addend, Span<T> output)
        where T : unmanaged, INumber<T>
        where TIndex : unmanaged, IBinaryInteger<TIndex>
    {
        if (typeof(T) == typeof(float) && typeof(TIndex) == typeof(int))
        {
            Kernels.Gather.WeightedRowSums(MemoryMarshal.Cast<T, float>(table), rowLength, MemoryMarshal.Cast<TIndex, int>(ids), MemoryMarshal.Cast<T, float>(weights), MemoryMarshal.Cast<T, float>(addend), MemoryMarshal.Cast<T, float>(output));
            return;
        }
        int perRow = CheckGatheredIds(table.Length, rowLength, output.Length, ids, "gather_weighted_sum");
        if (addend.IsEmpty) output.Clear();
        else addend.CopyTo(output);
        for (int i = 0; i < ids.Length; i++)
        {
            var row = table.Slice(int.CreateTruncating(ids[i]) * rowLength, rowLength);
            var dst = output.Slice(i / perRow * rowLength, rowLength);
            for (int c = 0; c < rowLength; c++) dst[c] += weights[i] * row[c];
        }
    }

    /// <summary>
    /// <c>row_outer</c>: output[i, :] = coef[i] · vec[i / k, :] with k = coef.Length / batch, vec
    /// [batch, <paramref name="rowLength"/>].
    /// </summary>
    public static void RowOuter<T>(ReadOnlySpan<T> coef, ReadOnlySpan<T> vec, int rowLength, Span<T> output)
        where T : unmanaged, INumber<T>
    {
        int batch = rowLength == 0 ? 0 : vec.Length / rowLength;
        int perRow = batch == 0 ? 1 : coef.Length / batch;
        for (int i = 0; i < coef.Length; i++)
        {
            var src = vec.Slice(i / perRow * rowLength, rowLength);
            var dst = output.Slice(i * rowLength, rowLength);
            for (int c = 0; c < rowLength; c++) dst[c] = coef[i] * src[c];
        }
    }

    /// <summary>
    /// Gradient descent's scatter of a <c>row_outer</c> gradient: table[ids[i], :] += scale · coef[i] ·
    /// vec[i / k, :] (k = ids.Length / batch), repeated ids accumulating, without writing the outer product.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An id is outside the table; nothing is written then.</exception>
    public static void ScatterScaledOuterRows<T, TIndex>(ReadOnlySpan<T> coef, ReadOnlySpan<T> vec, int rowLength, ReadOnlySpan<TIndex> ids, Span<T> table, T scale)
        where T : unmanaged, INumber<T>
        where TIndex : unmanaged, IBinaryInteger<TIndex>
    {
        if (typeof(T) == typeof(float) && typeof(TIndex) == typeof(int))
        {
            Kernels.Gather.ScatterAddOuterRows(MemoryMarshal.Cast<T, float>(coef), MemoryMarshal.Cast<T, float>(vec), rowLength, MemoryMarshal.Cast<TIndex, int>(ids), MemoryMarshal.Cast<T, float>(table), float.CreateTruncating(scale));
            return;
        }
        int perRow = CheckGatheredIds(table.Length, rowLength, vec.Length, ids, "sparse_gradient_descent");
        for (int i = 0; i < ids.Length; i++)
        {
            var dst = table.Slice(int.CreateTruncating(ids[i]) * rowLength, rowLength);
            var src = vec.Slice(i / perRow * rowLength, rowLength);
            T factor = scale * coef[i];
            for (int c = 0; c < rowLength; c++) dst[c] += factor * src[c];
        }
    }

    /// <summary>
    /// Checks every id against the table's rows (the message names the op, the id and its position)
    /// and returns how many ids go with each row of the [batch, rowLength] operand.
    /// </summary>
    private static int CheckGatheredIds<TIndex>(int tableLength, int rowLength, int operandLength, ReadOnlySpan<TIndex> ids, string op)
        where TIndex : unmanaged, IBinaryInteger<TIndex>
    {
        int rows = rowLength == 0 ? 0 : tableLength / rowLength, batch = rowLength == 0 ? 0 : operandLength / rowLength;
        for (int i = 0; i < ids.Length; i++) CheckIndex(ids, i, rows, op);
        return batch == 0 ? 1 : ids.Length / batch;
    }
}
