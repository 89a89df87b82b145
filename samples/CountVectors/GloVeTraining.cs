using System.Diagnostics;
using GraphCompiler.Runtime.Linalg;

namespace CountVectors;

/// <summary>
/// GloVe's settings: the weighting f(x) = min(1, (x / XMax)^Power), Adagrad's rate, epochs, batching.
/// The defaults are the ones measured best on the shipped 1.8-million-token corpus (README, "Count-based
/// vectors"), not GloVe's published ones: its rate 0.05 is not this optimizer's 0.05 (see
/// <see cref="DefaultLearningRate"/>), and at x_max 100 almost every count of a corpus this small gets a tiny weight.
/// </summary>
public sealed record GloVeSettings(
    int Epochs = GloVeSettings.DefaultEpochs,
    int BatchSize = GloVeSettings.DefaultBatchSize,
    float LearningRate = GloVeSettings.DefaultLearningRate,
    double XMax = GloVeSettings.DefaultXMax,
    double Power = 0.75,
    int Threads = 1,
    int Seed = 1)
{
    /// <summary>Passes over the nonzero entries.</summary>
    public const int DefaultEpochs = 3;

    /// <summary>Entries per step; smaller batches sum fewer repeats of the frequent words' rows into one step.</summary>
    public const int DefaultBatchSize = 128;

    /// <summary>
    /// Adagrad's rate. GloVe's own code puts the scaled step η·g into its accumulator (started at 1), so
    /// its η = 0.05 is Adagrad with rate 1 and accumulators started at 1/η² = 400: once the squared
    /// gradients add up, its steps are 1/η = 20 times those of rate 0.05 here (accumulators started at 1,
    /// squared gradients unscaled). Rate 0.05 here under-trains: WordSim-353 near chance after 5 epochs.
    /// </summary>
    public const float DefaultLearningRate = 0.5f;

    /// <summary>The count at which f reaches 1: GloVe's small-corpus setting, not its 100 for billions of tokens.</summary>
    public const double DefaultXMax = 10;
}

/// <summary>What a GloVe run did: seconds of training (counting excluded) and the mean loss per entry of each epoch.</summary>
public sealed record GloVeResult(double Seconds, long Entries, IReadOnlyList<double> EpochLosses);

/// <summary>
/// Trains GloVe as its authors do: every epoch visits all nonzero co-occurrence entries in a fresh
/// random order, Hogwild across threads (each thread its own slice of the order and its own model
/// replica over the shared variables), in batches through the generated Adagrad step.
/// </summary>
public static class GloVeTraining
{
    /// <summary>Trains <paramref name="model"/> on the nonzero entries of <paramref name="counts"/>; <paramref name="onEpoch"/> sees each epoch's mean loss.</summary>
    public static GloVeResult Train(GloVe model, SparseMatrix counts, GloVeSettings settings, Action<int, double>? onEpoch = null)
    {
        var entries = new Entries(counts, settings);
        long count = counts.NonZeros;
        int threads = (int)Math.Max(1, Math.Min(settings.Threads, count / settings.BatchSize));
        var replicas = Enumerable.Range(0, threads).Select(t => t == 0 ? model : model.Replica()).ToArray();
        var order = Enumerable.Range(0, (int)count).ToArray();
        var random = new Random(settings.Seed);
        var losses = new List<double>();
        var clock = Stopwatch.StartNew();
        for (int epoch = 0; epoch < settings.Epochs; epoch++)
        {
            random.Shuffle(order);
            var sums = new double[threads];
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
            {
                long from = count * t / threads, to = count * (t + 1) / threads;
                var full = new EntryBatch(settings.BatchSize);
                for (long start = from; start < to; start += settings.BatchSize)
                {
                    // The step's batch dim is symbolic: the slice's last, shorter batch is a batch of its own size.
                    var batch = to - start >= settings.BatchSize ? full : new EntryBatch((int)(to - start));
                    entries.Fill(batch, order, start);
                    sums[t] += replicas[t].Step(batch, settings.LearningRate);
                }
            });
            losses.Add(sums.Sum() / count);
            onEpoch?.Invoke(epoch + 1, losses[^1]);
        }
        return new GloVeResult(clock.Elapsed.TotalSeconds, count, losses);
    }

    /// <summary>The first batch <see cref="Train"/> steps on (the first thread's, in the first epoch's order): what <c>--smoke</c> checks the model on.</summary>
    public static EntryBatch FirstBatch(SparseMatrix counts, GloVeSettings settings)
    {
        var order = Enumerable.Range(0, (int)counts.NonZeros).ToArray();
        new Random(settings.Seed).Shuffle(order);
        var batch = new EntryBatch((int)Math.Min(settings.BatchSize, counts.NonZeros));
        new Entries(counts, settings).Fill(batch, order, 0);
        return batch;
    }

    // Every nonzero entry's row, log count and weight f(x), by entry index.
    private sealed class Entries
    {
        private readonly int[] _rows;
        private readonly int[] _columns;
        private readonly float[] _logCounts;
        private readonly float[] _weights;

        public Entries(SparseMatrix counts, GloVeSettings settings)
        {
            long entries = counts.NonZeros;
            _rows = new int[entries];
            _columns = counts.Columns;
            _logCounts = new float[entries];
            _weights = new float[entries];
            for (int i = 0; i < counts.Rows; i++)
                for (long e = counts.RowStarts[i]; e < counts.RowStarts[i + 1]; e++)
                {
                    _rows[e] = i;
                    _logCounts[e] = MathF.Log(counts.Values[e]);
                    _weights[e] = (float)Math.Min(1, Math.Pow(counts.Values[e] / settings.XMax, settings.Power));
                }
        }

        // The entries order[start …] into every slot of the batch.
        public void Fill(EntryBatch batch, int[] order, long start)
        {
            for (int b = 0; b < batch.Rows.Length; b++)
            {
                int e = order[start + b];
                batch.Rows[b] = _rows[e];
                batch.Columns[b] = _columns[e];
                batch.LogCounts[b] = _logCounts[e];
                batch.Weights[b] = _weights[e];
            }
        }
    }
}
