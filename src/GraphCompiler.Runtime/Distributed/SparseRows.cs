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

    /// <summary>The bytes this takes on the wire: its row count, then an int id and <see cref="Width"/> floats per row.</summary>
    public long WireBytes => 4 + (long)Ids.Length * (1 + Width) * 4;

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
    /// The sum over all ranks of each rank's rows of several tables (a collective: every rank passes the same number of
    /// tables with the same widths), as rows again: per table, the union of the ranks' ids, each row the sum of the
    /// ranks that hold it. All tables' ids and rows travel in one <c>MPI_Allgatherv</c>, and every rank sums them itself,
    /// row by row in id order and within a row in rank order, so every rank gets the same bits. Each rank receives every
    /// other rank's rows, so the traffic grows with the world size; a dense all-reduce of the whole table does not, and
    /// wins once the ranks' rows together approach the table (see the README's distributed section). <paramref name="received"/>:
    /// the bytes this rank received from the others.
    /// </summary>
    public static SparseRows[] AllreduceSum(Communicator communicator, IReadOnlyList<SparseRows> mine, out long received)
    {
        var sent = new byte[checked((int)mine.Sum(t => t.WireBytes))];
        int at = 0;
        foreach (var table in mine)
        {
            MemoryMarshal.Write(sent.AsSpan(at), table.Ids.Length);
            MemoryMarshal.AsBytes(table.Ids.AsSpan()).CopyTo(sent.AsSpan(at + 4));
            MemoryMarshal.AsBytes(table.Values.AsSpan()).CopyTo(sent.AsSpan(at + 4 + table.Ids.Length * 4));
            at += (int)table.WireBytes;
        }
        var all = communicator.AllgatherVariable(sent, out var lengths);
        received = all.Length - sent.Length;

        // Every rank's part of each table, read in rank order.
        var parts = new SparseRows[mine.Count][];
        for (int t = 0; t < mine.Count; t++) parts[t] = new SparseRows[lengths.Length];
        int offset = 0;
        for (int r = 0; r < lengths.Length; r++)
        {
            var part = all.AsSpan(offset, lengths[r]);
            for (int t = 0; t < mine.Count; t++)
            {
                int width = mine[t].Width, rows = part.Length >= 4 ? MemoryMarshal.Read<int>(part) : -1;
                if (rows < 0 || part.Length < 4 + (long)rows * (1 + width) * 4)
                    throw new MpiException($"rank {r} sent {lengths[r]} bytes of sparse rows, too few for its tables");
                var ids = MemoryMarshal.Cast<byte, int>(part.Slice(4, rows * 4)).ToArray();
                var values = MemoryMarshal.Cast<byte, float>(part.Slice(4 + rows * 4, rows * width * 4)).ToArray();
                parts[t][r] = new SparseRows(ids, values, width);
                part = part[(int)parts[t][r].WireBytes..];
            }
            offset += lengths[r];
        }
        return [.. parts.Select(Sum)];
    }

    // The ranks' rows of one table summed: in id order, and for one id in rank order.
    private static SparseRows Sum(SparseRows[] ranks)
    {
        int width = ranks[0].Width;
        var order = ranks.SelectMany((p, r) => p.Ids.Select((id, i) => (Id: id, Rank: r, Row: i))).ToArray();
        Array.Sort(order);
        var ids = new List<int>();
        var values = new List<float>();
        foreach (var (id, rank, row) in order)
        {
            var source = ranks[rank].Row(row);
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
