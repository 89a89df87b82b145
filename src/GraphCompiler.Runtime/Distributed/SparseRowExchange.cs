using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace GraphCompiler.Runtime.Distributed;

/// <summary>
/// The rows of several [rows, width] tables that a rank changed in a step, sent to every rank and added onto every
/// rank's tables: the form of an embedding table's update, which touches the rows of a batch's words (a few hundred
/// where the table has tens of thousands). A rank's message holds, table after table, a row count, the row ids
/// (distinct, in any order) and the rows' values row after row; <see cref="AllgatherAdd"/> gathers every rank's message
/// in one <c>MPI_Allgatherv</c> and every rank adds them in rank order, each message's rows in its order. Every rank
/// therefore makes the same float additions in the same order on the same values, and the tables stay bit-identical
/// without sorting or merging the ranks' ids. The buffers are kept from step to step.
/// Each rank receives every other rank's rows, so the traffic grows with the world size; a dense all-reduce of the
/// whole table does not, and wins once the ranks' rows together approach the table (see the README's distributed section).
/// </summary>
public sealed class SparseRowExchange
{
    private readonly int[] _widths;
    private readonly int[] _lengths;
    private byte[] _message = new byte[1 << 12];
    private byte[] _received = [];
    private int _length, _tables;

    /// <param name="widths">The tables' row widths, in the order their rows are appended.</param>
    /// <param name="ranks">The number of ranks that exchange.</param>
    public SparseRowExchange(IReadOnlyList<int> widths, int ranks)
    {
        if (widths.Count == 0 || widths.Any(w => w < 1)) throw new ArgumentException("every table needs a width of at least 1", nameof(widths));
        ArgumentOutOfRangeException.ThrowIfLessThan(ranks, 1);
        _widths = [.. widths];
        _lengths = new int[ranks];
    }

    /// <summary>This rank's message so far.</summary>
    public ReadOnlySpan<byte> Message => _message.AsSpan(0, _length);

    /// <summary>Bytes this rank has sent so far, all steps.</summary>
    public long BytesSent { get; private set; }

    /// <summary>Bytes this rank has received from the others so far, all steps.</summary>
    public long BytesReceived { get; private set; }

    /// <summary>Starts a new message (a step's).</summary>
    public void Clear() => (_length, _tables) = (0, 0);

    /// <summary>
    /// Appends the next table's <paramref name="rows"/> rows to the message and returns where to write their ids
    /// (distinct), with <paramref name="values"/> where to write their values (row after row, the table's width each).
    /// </summary>
    public Span<int> Append(int rows, out Span<float> values)
    {
        if (_tables == _widths.Length) throw new InvalidOperationException($"the message already holds all {_widths.Length} tables");
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        int width = _widths[_tables++], bytes = checked(4 + rows * (1 + width) * 4);
        if (_message.Length < _length + bytes) Array.Resize(ref _message, Math.Max(_length + bytes, _message.Length * 2));
        var part = _message.AsSpan(_length, bytes);
        _length += bytes;
        MemoryMarshal.Write(part, rows);
        values = MemoryMarshal.Cast<byte, float>(part[(4 + rows * 4)..]);
        return MemoryMarshal.Cast<byte, int>(part.Slice(4, rows * 4));
    }

    /// <summary>
    /// Every rank's message added onto <paramref name="tables"/> (a collective: every rank appends rows of the same
    /// tables): rank 0's rows first, then rank 1's, and so on.
    /// </summary>
    public void AllgatherAdd(Communicator communicator, IReadOnlyList<float[]> tables)
    {
        RequireComplete();
        int total = communicator.AllgatherVariable(Message, ref _received, _lengths);
        BytesSent += _length;
        BytesReceived += total - _length;
        int offset = 0;
        for (int r = 0; r < _lengths.Length; r++)
        {
            int used = AddTo(_received.AsSpan(offset, _lengths[r]), tables);
            if (used != _lengths[r]) throw new MpiException($"rank {r} sent {_lengths[r]} bytes of sparse rows, {used} of them its tables' rows");
            offset += _lengths[r];
        }
    }

    /// <summary>This rank's own message added onto <paramref name="tables"/> (zeroed ones turn it into the dense update).</summary>
    public void AddOwnTo(IReadOnlyList<float[]> tables)
    {
        RequireComplete();
        AddTo(Message, tables);
    }

    // Adds a message's rows onto the tables; returns the bytes it read.
    private int AddTo(ReadOnlySpan<byte> message, IReadOnlyList<float[]> tables)
    {
        if (tables.Count != _widths.Length) throw new ArgumentException($"{tables.Count} tables for messages of {_widths.Length}", nameof(tables));
        int at = 0;
        for (int t = 0; t < _widths.Length; t++)
        {
            int width = _widths[t], rows = message.Length - at >= 4 ? MemoryMarshal.Read<int>(message[at..]) : -1;
            if (rows < 0 || message.Length - at < 4 + (long)rows * (1 + width) * 4)
                throw new MpiException($"a message of {message.Length} bytes of sparse rows is too short for its tables");
            var ids = MemoryMarshal.Cast<byte, int>(message.Slice(at + 4, rows * 4));
            var values = MemoryMarshal.Cast<byte, float>(message.Slice(at + 4 + rows * 4, rows * width * 4));
            var table = tables[t];
            for (int i = 0; i < rows; i++)
            {
                if ((uint)ids[i] >= (uint)(table.Length / width)) throw new MpiException($"a message holds row {ids[i]} of a table of {table.Length / width} rows");
                var target = table.AsSpan(ids[i] * width, width);
                TensorPrimitives.Add(target, values.Slice(i * width, width), target);
            }
            at += 4 + rows * (1 + width) * 4;
        }
        return at;
    }

    private void RequireComplete()
    {
        if (_tables != _widths.Length) throw new InvalidOperationException($"the message holds {_tables} of its {_widths.Length} tables");
    }
}
