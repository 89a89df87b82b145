using System.Diagnostics;
using GraphCompiler.Runtime.Linalg;

namespace CountVectors;

/// <summary>GloVe's settings: the weighting f(x) = min(1, (x / XMax)^Power), Adagrad's rate, epochs, batching.</summary>
public sealed record GloVeSettings(int Epochs, int BatchSize, float LearningRate, double XMax = 100, double Power = 0.75, int Threads = 1, int Seed = 1);

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
        long entries = counts.NonZeros;
        var rows = new int[entries];
        var logCounts = new float[entries];
        var weights = new float[entries];
        for (int i = 0; i < counts.Rows; i++)
            for (long e = counts.RowStarts[i]; e < counts.RowStarts[i + 1]; e++)
            {
                rows[e] = i;
                logCounts[e] = MathF.Log(counts.Values[e]);
                weights[e] = (float)Math.Min(1, Math.Pow(counts.Values[e] / settings.XMax, settings.Power));
            }
        int threads = (int)Math.Max(1, Math.Min(settings.Threads, entries / settings.BatchSize));
        var replicas = Enumerable.Range(0, threads).Select(t => t == 0 ? model : model.Replica()).ToArray();
        var order = Enumerable.Range(0, (int)entries).ToArray();
        var random = new Random(settings.Seed);
        var losses = new List<double>();
        var clock = Stopwatch.StartNew();
        for (int epoch = 0; epoch < settings.Epochs; epoch++)
        {
            random.Shuffle(order);
            var sums = new double[threads];
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
            {
                long from = entries * t / threads, to = entries * (t + 1) / threads;
                var full = new EntryBatch(settings.BatchSize);
                for (long start = from; start < to; start += settings.BatchSize)
                {
                    // The step's batch dim is symbolic: the slice's last, shorter batch is a batch of its own size.
                    var batch = to - start >= settings.BatchSize ? full : new EntryBatch((int)(to - start));
                    for (int b = 0; b < batch.Rows.Length; b++)
                    {
                        int e = order[start + b];
                        batch.Rows[b] = rows[e];
                        batch.Columns[b] = counts.Columns[e];
                        batch.LogCounts[b] = logCounts[e];
                        batch.Weights[b] = weights[e];
                    }
                    sums[t] += replicas[t].Step(batch, settings.LearningRate);
                }
            });
            losses.Add(sums.Sum() / entries);
            onEpoch?.Invoke(epoch + 1, losses[^1]);
        }
        return new GloVeResult(clock.Elapsed.TotalSeconds, entries, losses);
    }
}
