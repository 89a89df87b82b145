using System.Numerics.Tensors;
using GraphCompiler.Runtime;
using GraphCompiler.Runtime.Distributed;
using GraphCompiler.Runtime.Execution;

namespace Word2Vec;

/// <summary>How the ranks combine a step's updates of the tables (<c>--sync</c>).</summary>
public enum SyncMode
{
    /// <summary>Only the rows the ranks' batches touched: ids and rows gathered, added by every rank in rank order.</summary>
    Sparse,

    /// <summary>The whole tables, zero where untouched, summed by <c>MPI_Allreduce</c>.</summary>
    Dense,
}

/// <summary>
/// Keeps the replicas' tables identical in a data-parallel run. A rank trains its batch with the compiled SGD step
/// at 1/world of the learning rate; the step changes only the rows of the batch's words (the embedding rows of its
/// centres; the output rows, and with NCE the biases, of its contexts and its noise words or sampled candidates),
/// so the change of those rows is the rank's update, −(rate/world)·g. Every rank puts its rows back as they were,
/// and every rank adds every rank's changes to the same rows in the same order: the tables move by −rate · the mean
/// of the ranks' gradients, the SGD step of the global batch, and the replicas stay equal bit for bit. (For SGD a
/// step's change is its gradient times a constant; an optimizer with slots would need the gradients themselves.)
/// NCE draws its candidates inside the compiled step from (the model's seed, the op's seed, the global step); the
/// host repeats the draw (<see cref="CpuOps.LogUniformCandidates"/>) to know the rows, and each rank's model has a
/// seed of its own, so the ranks sample different candidates.
/// </summary>
public sealed class DistributedTables
{
    private readonly Communicator _communicator;
    private readonly SyncMode _mode;
    private readonly SkipGram _model;
    private readonly RowSet _centres, _outputs;
    private readonly Table[] _tables;
    private readonly float[][] _values;
    private readonly int[]? _candidates;
    private readonly SparseRowExchange _exchange;
    private float[][]? _dense;

    public DistributedTables(Communicator communicator, SyncMode mode, SkipGram model, LossKind loss)
    {
        _communicator = communicator;
        _mode = mode;
        _model = model;
        var weights = (Variable<float>)model.Model.AllVariables["loss/nce_weight"];
        _centres = new RowSet(model.EmbedMatrix.Shape[0]);
        _outputs = new RowSet(weights.Shape[0]);
        List<Table> tables = [new(model.EmbedMatrix.Data, model.EmbedMatrix.Shape[1], _centres), new(weights.Data, weights.Shape[1], _outputs)];
        if (loss == LossKind.Nce)
        {
            tables.Add(new(((Variable<float>)model.Model.AllVariables["loss/nce_bias"]).Data, 1, _outputs));
            _candidates = new int[SkipGramGraph.NumSampled];
        }
        _tables = [.. tables];
        _values = [.. _tables.Select(t => t.Values)];
        _exchange = new SparseRowExchange([.. _tables.Select(t => t.Width)], communicator.Size);
    }

    /// <summary>Bytes this rank has handed to MPI for the tables so far.</summary>
    public long BytesSent => _exchange.BytesSent + DenseBytes;

    /// <summary>Bytes this rank has received from the others for the tables so far (sparse: their rows; dense: the all-reduce's result).</summary>
    public long BytesReceived => _exchange.BytesReceived + DenseBytes;

    private long DenseBytes { get; set; }

    /// <summary>
    /// Before the step of global step number <paramref name="step"/> (the model's <c>GlobalStep</c> while it runs) on
    /// <paramref name="batch"/> (null: this rank has no batch this step): remembers the rows it will change.
    /// </summary>
    public void Before(PairBatch? batch, long step)
    {
        _centres.Clear();
        _outputs.Clear();
        if (batch is not null)
        {
            _centres.Add(batch.Centers);
            _outputs.Add(batch.Contexts);
            if (_candidates is null) _outputs.Add(batch.Negatives);
            else
            {
                CpuOps.LogUniformCandidates(_candidates, _outputs.TableRows, _model.Model.Seed, SkipGramGraph.NceSeed, (ulong)step);
                _outputs.Add(_candidates);
            }
        }
        foreach (var t in _tables) t.Remember();
    }

    /// <summary>After the step: every rank's changes added onto every replica (a collective).</summary>
    public void Combine()
    {
        _exchange.Clear();
        foreach (var t in _tables) t.TakeBackChange(_exchange);
        if (_mode == SyncMode.Sparse)
        {
            _exchange.AllgatherAdd(_communicator, _values);
            return;
        }
        _dense ??= [.. _values.Select(v => new float[v.Length])];
        foreach (var d in _dense) Array.Clear(d);
        _exchange.AddOwnTo(_dense);
        for (int i = 0; i < _tables.Length; i++)
        {
            _communicator.AllreduceSum(_dense[i]);
            DenseBytes += 4L * _dense[i].Length;
            TensorPrimitives.Add(_values[i], _dense[i], _values[i]);
        }
    }

    /// <summary>The distinct rows of a table a step touches, in the order first seen (a stamp per row finds repeats without sorting).</summary>
    private sealed class RowSet(int tableRows)
    {
        private readonly int[] _stamps = new int[tableRows];
        private int _stamp;
        private int[] _ids = new int[256];

        public int TableRows => tableRows;

        public int Count { get; private set; }

        public ReadOnlySpan<int> Ids => _ids.AsSpan(0, Count);

        public void Clear()
        {
            Count = 0;
            if (++_stamp < int.MaxValue) return;
            Array.Clear(_stamps);
            _stamp = 1;
        }

        public void Add(ReadOnlySpan<int> ids)
        {
            foreach (int id in ids)
            {
                if (_stamps[id] == _stamp) continue;
                _stamps[id] = _stamp;
                if (Count == _ids.Length) Array.Resize(ref _ids, _ids.Length * 2);
                _ids[Count++] = id;
            }
        }
    }

    /// <summary>One table, the rows of a step in it, and those rows as they were before the step.</summary>
    private sealed class Table(float[] values, int width, RowSet rows)
    {
        private float[] _before = new float[256 * width];

        public float[] Values => values;

        public int Width => width;

        public void Remember()
        {
            var ids = rows.Ids;
            if (_before.Length < ids.Length * width) _before = new float[ids.Length * width * 2];
            for (int i = 0; i < ids.Length; i++) Row(ids[i]).CopyTo(_before.AsSpan(i * width, width));
        }

        /// <summary>Appends the step's change of each remembered row to the message; the rows are set back to their values before it.</summary>
        public void TakeBackChange(SparseRowExchange message)
        {
            var ids = rows.Ids;
            var changedIds = message.Append(ids.Length, out var change);
            ids.CopyTo(changedIds);
            for (int i = 0; i < ids.Length; i++)
            {
                var row = Row(ids[i]);
                var before = _before.AsSpan(i * width, width);
                TensorPrimitives.Subtract(row, before, change.Slice(i * width, width));
                before.CopyTo(row);
            }
        }

        private Span<float> Row(int id) => values.AsSpan(id * width, width);
    }
}
