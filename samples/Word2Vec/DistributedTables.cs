using System.Numerics.Tensors;
using GraphCompiler.Runtime;
using GraphCompiler.Runtime.Distributed;

namespace Word2Vec;

/// <summary>How the ranks combine a step's updates of the two tables (<c>--sync</c>).</summary>
public enum SyncMode
{
    /// <summary>Only the rows the ranks' batches touched: ids and rows gathered, summed by every rank in id order.</summary>
    Sparse,

    /// <summary>Both whole tables, zero where untouched, summed by <c>MPI_Allreduce</c>.</summary>
    Dense,
}

/// <summary>
/// Keeps the replicas' two tables identical in a data-parallel run. A rank trains its batch with the compiled SGD step
/// at 1/world of the learning rate; the step changes only the rows of the batch's words (the embedding rows of its
/// centres, the output rows of its contexts and noise words), so the change of those rows is the rank's update,
/// −(rate/world)·g. Every rank puts its rows back as they were, the ranks' changes are summed, and every rank adds the
/// same sum to the same rows: the tables move by −rate · the mean of the ranks' gradients, the SGD step of the global
/// batch, and the replicas stay equal bit for bit. (For SGD a step's change is its gradient times a constant; an
/// optimizer with slots would need the gradients themselves.)
/// </summary>
public sealed class DistributedTables
{
    private readonly Communicator _communicator;
    private readonly SyncMode _mode;
    private readonly Table[] _tables;

    public DistributedTables(Communicator communicator, SyncMode mode, SkipGram model)
    {
        _communicator = communicator;
        _mode = mode;
        var weights = (Variable<float>)model.Model.AllVariables["loss/nce_weight"];
        _tables = [new Table(model.EmbedMatrix, b => b.Centers), new Table(weights, b => b.Contexts.Concat(b.Negatives))];
    }

    /// <summary>Bytes this rank has handed to MPI for the tables so far.</summary>
    public long BytesSent { get; private set; }

    /// <summary>Bytes this rank has received from the others for the tables so far (sparse: their rows; dense: the all-reduce's result).</summary>
    public long BytesReceived { get; private set; }

    /// <summary>Before the step on <paramref name="batch"/> (null: this rank has no batch this step): remembers the rows it will change.</summary>
    public void Before(PairBatch? batch)
    {
        foreach (var t in _tables) t.Remember(batch);
    }

    /// <summary>After the step: every rank's changes summed onto every replica (a collective).</summary>
    public void Combine()
    {
        var changes = _tables.Select(t => t.TakeBackChange()).ToArray();
        if (_mode == SyncMode.Sparse)
        {
            var sums = SparseRows.AllreduceSum(_communicator, changes, out long received);
            BytesSent += changes.Sum(c => c.WireBytes);
            BytesReceived += received;
            for (int i = 0; i < _tables.Length; i++) sums[i].AddTo(_tables[i].Values);
            return;
        }
        for (int i = 0; i < _tables.Length; i++)
        {
            var dense = _tables[i].Dense;
            Array.Clear(dense);
            changes[i].AddTo(dense);
            _communicator.AllreduceSum(dense);
            BytesSent += 4L * dense.Length;
            BytesReceived += 4L * dense.Length;
            TensorPrimitives.Add(_tables[i].Values, dense, _tables[i].Values);
        }
    }

    /// <summary>One table, the ids of a batch's rows in it, and the rows as they were before the step.</summary>
    private sealed class Table(Variable<float> variable, Func<PairBatch, IEnumerable<int>> rowsOf)
    {
        private readonly int _width = variable.Shape[1];
        private int[] _ids = [];
        private float[] _before = [];
        private float[]? _dense;

        public Span<float> Values => variable.Data;

        public float[] Dense => _dense ??= new float[variable.Data.Length];

        public void Remember(PairBatch? batch)
        {
            _ids = batch is null ? [] : [.. rowsOf(batch).Distinct().Order()];
            _before = new float[_ids.Length * _width];
            for (int i = 0; i < _ids.Length; i++) Row(Values, _ids[i]).CopyTo(_before.AsSpan(i * _width, _width));
        }

        /// <summary>The step's change of each remembered row; the rows are set back to their values before it.</summary>
        public SparseRows TakeBackChange()
        {
            var change = new float[_before.Length];
            for (int i = 0; i < _ids.Length; i++)
            {
                var row = Row(Values, _ids[i]);
                var before = _before.AsSpan(i * _width, _width);
                TensorPrimitives.Subtract(row, before, change.AsSpan(i * _width, _width));
                before.CopyTo(row);
            }
            return new SparseRows(_ids, change, _width);
        }

        private Span<float> Row(Span<float> table, int id) => table.Slice(id * _width, _width);
    }
}
