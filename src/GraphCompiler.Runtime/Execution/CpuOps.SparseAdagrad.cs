using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;

namespace GraphCompiler.Runtime.Execution;

public static partial class CpuOps
{
    /// <summary>
    /// <c>sparse_adagrad</c>: for every row r in <paramref name="ids"/>, with G = Σ values[i] over the i
    /// where ids[i] = r, table[r] −= lr · G / √(accumulator[r] + G²) — dense Adagrad on the touched rows,
    /// reading the accumulator before <see cref="SparseAdagradAccumulate"/> adds G².
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An id is outside the table; nothing is written then.</exception>
    public static void SparseAdagrad<T, TIndex>(ReadOnlySpan<T> values, int rowLength, ReadOnlySpan<TIndex> ids, ReadOnlySpan<T> accumulator, Span<T> table, T learningRate)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TIndex : unmanaged, IBinaryInteger<TIndex>
    {
        using var rows = new SummedRows<T, TIndex>(values, rowLength, ids, table.Length, "sparse_adagrad");
        for (int r = 0; r < rows.Count; r++)
        {
            int row = rows.Get(r, values, out var sum);
            var target = table.Slice(row * rowLength, rowLength);
            // step = G / √(a + G²), then v −= lr·step: four vector passes over the row in the scratch.
            var step = rows.Scratch;
            TensorPrimitives.FusedMultiplyAdd(sum, sum, accumulator.Slice(row * rowLength, rowLength), step);
            TensorPrimitives.Sqrt(step, step);
            TensorPrimitives.Divide(sum, step, step);
            TensorPrimitives.MultiplyAdd(step, -learningRate, target, target);
        }
    }

    /// <summary><c>sparse_adagrad_accumulate</c>: accumulator[r] += G² for every touched row r (G as in <see cref="SparseAdagrad"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">An id is outside the table; nothing is written then.</exception>
    public static void SparseAdagradAccumulate<T, TIndex>(ReadOnlySpan<T> values, int rowLength, ReadOnlySpan<TIndex> ids, Span<T> accumulator)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TIndex : unmanaged, IBinaryInteger<TIndex>
    {
        using var rows = new SummedRows<T, TIndex>(values, rowLength, ids, accumulator.Length, "sparse_adagrad_accumulate");
        for (int r = 0; r < rows.Count; r++)
        {
            int row = rows.Get(r, values, out var sum);
            var target = accumulator.Slice(row * rowLength, rowLength);
            TensorPrimitives.FusedMultiplyAdd(sum, sum, target, target);
        }
    }

    /// <summary>
    /// The gradient rows of a lookup summed per distinct id: (id, position) keys sorted once (pooled
    /// scratch, no allocation per step), so each distinct row's values are added up in position order.
    /// </summary>
    private readonly ref struct SummedRows<T, TIndex>
        where T : unmanaged, IFloatingPointIeee754<T>
        where TIndex : unmanaged, IBinaryInteger<TIndex>
    {
        private readonly long[] _keys;
        private readonly int[] _starts;
        private readonly T[] _sum;
        private readonly T[] _scratch;
        private readonly int _rowLength;

        public SummedRows(ReadOnlySpan<T> values, int rowLength, ReadOnlySpan<TIndex> ids, int tableLength, string op)
        {
            CheckGatheredIds(tableLength, rowLength, values.Length, ids, op);
            _rowLength = rowLength;
            _keys = ArrayPool<long>.Shared.Rent(ids.Length);
            _starts = ArrayPool<int>.Shared.Rent(ids.Length + 1);
            _sum = ArrayPool<T>.Shared.Rent(rowLength);
            _scratch = ArrayPool<T>.Shared.Rent(rowLength);
            var keys = _keys.AsSpan(0, ids.Length);
            for (int i = 0; i < ids.Length; i++) keys[i] = (long.CreateTruncating(ids[i]) << 32) | (uint)i;
            keys.Sort();
            int count = 0;
            for (int i = 0; i < keys.Length; i++)
                if (i == 0 || keys[i] >> 32 != keys[i - 1] >> 32) _starts[count++] = i;
            _starts[count] = keys.Length;
            Count = count;
        }

        public int Count { get; }

        /// <summary>A row of scratch for the caller's per-row arithmetic.</summary>
        public Span<T> Scratch => _scratch.AsSpan(0, _rowLength);

        public int Get(int r, ReadOnlySpan<T> values, out ReadOnlySpan<T> summed)
        {
            var sum = _sum.AsSpan(0, _rowLength);
            sum.Clear();
            for (int i = _starts[r]; i < _starts[r + 1]; i++)
            {
                TensorPrimitives.Add(sum, values.Slice((int)_keys[i] * _rowLength, _rowLength), sum);
            }
            summed = sum;
            return (int)(_keys[_starts[r]] >> 32);
        }

        public void Dispose()
        {
            ArrayPool<long>.Shared.Return(_keys);
            ArrayPool<int>.Shared.Return(_starts);
            ArrayPool<T>.Shared.Return(_sum);
            ArrayPool<T>.Shared.Return(_scratch);
        }
    }
}
