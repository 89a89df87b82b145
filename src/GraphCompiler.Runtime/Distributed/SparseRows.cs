using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace GraphCompiler.Runtime.Distributed;

/// <summary>
/// Some rows of a [rows, <see cref="Width"/>] table: distinct row ids in increasing order and each one's values,
/// row after row. The form of an embedding table's gradient or update, which touches the rows of the words in a
/// batch and leaves the rest zero: a few hundred rows where the table has tens of thousands.
/// </summary>
public sealed class SparseRows
{
    public SparseRows(int[] ids, float[] values, int width)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        if (values.Length != checked(ids.Length * width))
            throw new ArgumentException($"{values.Length} values for {ids.Length} rows of width {width}", nameof(values));
        for (int i = 1; i < ids.Length; i++)
            if (ids[i] <= ids[i - 1]) throw new ArgumentException("row ids must be distinct and increasing", nameof(ids));
        Ids = ids;
        Values = values;
        Width = width;
    }

    /// <summary>The rows held, increasing.</summary>
    public int[] Ids { get; }

    /// <summary>Row i's values are <c>Values[i·Width .. (i+1)·Width)</c>.</summary>
    public float[] Values { get; }

    public int Width { get; }

    /// <summary>The values of the i-th row held.</summary>
    public Span<float> Row(int i) => Values.AsSpan(i * Width, Width);

    /// <summary>The bytes this takes on the wire: an int id and <see cref="Width"/> floats per row.</summary>
    public long WireBytes => (long)Ids.Length * (1 + Width) * 4;

    /// <summary>Adds every row to <paramref name="table"/> ([rows, Width], row-major).</summary>
    public void AddTo(Span<float> table)
    {
        for (int i = 0; i < Ids.Length; i++)
        {
            var target = table.Slice(Ids[i] * Width, Width);
            TensorPrimitives.Add(target, Row(i), target);
        }
    }

    /// <summary>
    /// The sum over all ranks of each rank's <paramref name="mine"/> (a collective: every rank calls it with rows of the
    /// same width), as rows again: the union of the ranks' ids, each row the sum of the ranks that hold it. The ranks'
    /// ids and rows are gathered (<c>MPI_Allgatherv</c>) and every rank sums them itself, row by row in id order and
    /// within a row in rank order, so every rank gets the same bits. Each rank receives every other rank's rows, so the
    /// traffic grows with the world size; a dense all-reduce of the whole table does not, and wins once the ranks'
    /// rows together approach the table (see the Word2Vec section of the README).
    /// </summary>
    public static SparseRows AllreduceSum(Communicator communicator, SparseRows mine)
    {
        int width = mine.Width;
        var sent = new byte[checked((int)mine.WireBytes)];
        MemoryMarshal.AsBytes(mine.Ids.AsSpan()).CopyTo(sent);
        MemoryMarshal.AsBytes(mine.Values.AsSpan()).CopyTo(sent.AsSpan(mine.Ids.Length * 4));
        var all = communicator.AllgatherVariable(sent, out var lengths);

        // Each rank's part: its ids, then its rows. An entry (id, rank, row's place) per row received.
        var parts = new (int[] Ids, float[] Values)[lengths.Length];
        int offset = 0, entries = 0;
        for (int r = 0; r < lengths.Length; r++)
        {
            var part = all.AsSpan(offset, lengths[r]);
            if (part.Length % ((1 + width) * 4) != 0)
                throw new MpiException($"rank {r} sent {part.Length} bytes of sparse rows, not a whole number of rows of width {width}");
            int rows = part.Length / ((1 + width) * 4);
            parts[r] = (MemoryMarshal.Cast<byte, int>(part[..(rows * 4)]).ToArray(), MemoryMarshal.Cast<byte, float>(part[(rows * 4)..]).ToArray());
            offset += lengths[r];
            entries += rows;
        }
        var order = new (int Id, int Rank, int Row)[entries];
        int n = 0;
        for (int r = 0; r < parts.Length; r++)
            for (int i = 0; i < parts[r].Ids.Length; i++) order[n++] = (parts[r].Ids[i], r, i);
        Array.Sort(order);

        var ids = new List<int>();
        var values = new List<float>();
        for (int i = 0; i < order.Length; i++)
        {
            var (id, rank, row) = order[i];
            var source = parts[rank].Values.AsSpan(row * width, width);
            if (ids.Count > 0 && ids[^1] == id)
            {
                var target = CollectionsMarshal.AsSpan(values)[^width..];
                TensorPrimitives.Add(target, source, target);
            }
            else
            {
                ids.Add(id);
                values.AddRange(source);
            }
        }
        return new SparseRows([.. ids], [.. values], width);
    }
}
