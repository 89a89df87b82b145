using System.Numerics;

namespace GraphCompiler.Runtime.Execution;

public static partial class CpuOps
{
    /// <summary>
    /// <c>table[ids[i]] += scale · values[i]</c> row by row (duplicates accumulate): the sparse
    /// update of an embedding table. Ids are checked against the table with a clear error.
    /// </summary>
    public static void ScatterScaledRows<T, TIndex>(ReadOnlySpan<T> values, int rowLength, ReadOnlySpan<TIndex> ids, Span<T> table, T scale)
        where T : unmanaged, INumber<T>
        where TIndex : unmanaged, IBinaryInteger<TIndex>
    {
        int rows = rowLength == 0 ? 0 : table.Length / rowLength;
        if (typeof(T) == typeof(float) && typeof(TIndex) == typeof(int))
        {
            Kernels.Gather.ScatterAddRows(System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(values), rowLength,
                System.Runtime.InteropServices.MemoryMarshal.Cast<TIndex, int>(ids), System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(table), float.CreateTruncating(scale));
            return;
        }
        for (int i = 0; i < ids.Length; i++)
        {
            long id = long.CreateTruncating(ids[i]);
            if (id < 0 || id >= rows) throw new ArgumentOutOfRangeException(nameof(ids), $"id {id} at position {i} is outside the table's {rows} rows");
            var target = table.Slice((int)id * rowLength, rowLength);
            var source = values.Slice(i * rowLength, rowLength);
            for (int k = 0; k < rowLength; k++) target[k] += scale * source[k];
        }
    }
}
