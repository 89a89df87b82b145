using System.Diagnostics;
using System.Globalization;
using GraphCompiler.Runtime.Embeddings;
using GraphCompiler.Runtime.Linalg;
using GraphCompiler.Runtime.Text;
using GraphCompiler.Runtime.Training;

namespace CountVectors;

/// <summary>The two count-based methods, each timed from the encoded corpus to its vectors.</summary>
public static class CountMethods
{
    /// <summary>
    /// Flat-window counts → PPMI (smoothed contexts, optional shift) → randomized truncated SVD → U·Σ^p.
    /// </summary>
    public static TrainedVectors PpmiSvd(int[] ids, Vocabulary vocabulary, Options options)
    {
        var clock = Stopwatch.StartNew();
        var cpu = CpuClock.Start();
        var counts = Cooccurrence.Count(ids, vocabulary.Count, options.PpmiWindow, CooccurrenceWeighting.Flat, options.Threads);
        double countSeconds = clock.Elapsed.TotalSeconds;
        var ppmi = Ppmi.Compute(counts, options.Alpha, options.Shift);
        double ppmiSeconds = clock.Elapsed.TotalSeconds - countSeconds;
        int rank = Math.Min(options.Dim, vocabulary.Count);
        var svd = RandomizedSvd.Compute(ppmi, rank, powerIterations: options.PowerIterations, seed: (ulong)options.Seed);
        var vectors = svd.WeightedRows(options.EigenWeight);
        double seconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ppmi-svd: counts {counts.NonZeros:N0} nonzeros ({counts.MemoryBytes / 1048576.0:F1} MiB CSR) in {countSeconds:F2} s; PPMI {ppmi.NonZeros:N0} nonzeros ({ppmi.MemoryBytes / 1048576.0:F1} MiB) in {ppmiSeconds:F2} s; SVD to {rank} in {seconds - countSeconds - ppmiSeconds:F2} s; σ₁ {svd.S[0]:F1}, σ_{rank} {svd.S[^1]:F2}"));
        return new TrainedVectors(Method.PpmiSvd, seconds, cpu(), Pad(vectors, vocabulary.Count, rank, options.Dim), options.Dim, vocabulary.Words, vocabulary.Counts, new Dictionary<string, object?>
        {
            ["window"] = options.PpmiWindow,
            ["weighting"] = "flat",
            ["alpha"] = options.Alpha,
            ["shift"] = options.Shift,
            ["eigenvalue_weight"] = options.EigenWeight,
            ["power_iterations"] = options.PowerIterations,
            ["count_nonzeros"] = counts.NonZeros,
            ["count_bytes"] = counts.MemoryBytes,
            ["ppmi_nonzeros"] = ppmi.NonZeros,
            ["ppmi_bytes"] = ppmi.MemoryBytes,
            ["count_seconds"] = countSeconds,
            ["ppmi_seconds"] = ppmiSeconds,
            ["svd_seconds"] = seconds - countSeconds - ppmiSeconds,
            ["singular_values"] = svd.S,
        });
    }

    /// <summary><c>--smoke</c>: the runtime's smoke test of the GloVe model on the first batch its training would take.</summary>
    /// <exception cref="GraphCompiler.Runtime.Training.SmokeTestFailedException">The loss did not fall, or a table got a zero or non-finite gradient.</exception>
    public static void GloVeSmoke(int[] ids, Vocabulary vocabulary, Options options)
    {
        var counts = Cooccurrence.Count(ids, vocabulary.Count, options.GloVeWindow, CooccurrenceWeighting.Harmonic, options.Threads);
        var settings = GloVeSettingsOf(options);
        var first = GloVeTraining.FirstBatch(counts, settings);
        CountVectors.GloVe.Create(vocabulary.Count, options.Dim, options.Seed)
            .Fit(GraphCompiler.Runtime.Data.Dataset.FromEnumerable(() => new[] { first }), learningRate: settings.LearningRate, smokeTest: true);
    }

    /// <summary>1/distance-weighted counts → GloVe trained by the generated Adagrad step → W + C̃.</summary>
    public static TrainedVectors GloVe(int[] ids, Vocabulary vocabulary, Options options)
    {
        var clock = Stopwatch.StartNew();
        var cpu = CpuClock.Start();
        var counts = Cooccurrence.Count(ids, vocabulary.Count, options.GloVeWindow, CooccurrenceWeighting.Harmonic, options.Threads);
        double countSeconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"glove: counts {counts.NonZeros:N0} nonzeros ({counts.MemoryBytes / 1048576.0:F1} MiB CSR) in {countSeconds:F2} s"));
        var model = CountVectors.GloVe.Create(vocabulary.Count, options.Dim, options.Seed);
        var settings = GloVeSettingsOf(options);
        var result = GloVeTraining.Train(model, counts, settings,
            (epoch, loss) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"glove: epoch {epoch}/{settings.Epochs}, mean loss {loss:F4}, {clock.Elapsed.TotalSeconds:F1} s")));
        var vectors = model.Vectors(vocabulary.Count);
        return new TrainedVectors(Method.GloVe, clock.Elapsed.TotalSeconds, cpu(), vectors, options.Dim, vocabulary.Words, vocabulary.Counts, new Dictionary<string, object?>
        {
            ["window"] = options.GloVeWindow,
            ["weighting"] = "1/distance",
            ["epochs"] = settings.Epochs,
            ["batch"] = settings.BatchSize,
            ["learning_rate"] = settings.LearningRate,
            ["x_max"] = settings.XMax,
            ["count_nonzeros"] = counts.NonZeros,
            ["count_bytes"] = counts.MemoryBytes,
            ["count_seconds"] = countSeconds,
            ["epoch_losses"] = result.EpochLosses,
        });
    }

    private static GloVeSettings GloVeSettingsOf(Options options) =>
        new(options.GloVeEpochs, options.Batch, options.GloVeLearningRate, options.XMax, Threads: options.Threads, Seed: options.Seed);

    /// <summary>Processor seconds of this process since <see cref="Start"/>, every thread counted.</summary>
    private static class CpuClock
    {
        public static Func<double> Start()
        {
            var start = Process.GetCurrentProcess().TotalProcessorTime;
            return () => (Process.GetCurrentProcess().TotalProcessorTime - start).TotalSeconds;
        }
    }

    // A vocabulary smaller than the width leaves the SVD fewer components: the rest are zero columns.
    private static float[] Pad(float[] vectors, int rows, int rank, int dim)
    {
        if (rank == dim) return vectors;
        var padded = new float[rows * dim];
        for (int i = 0; i < rows; i++) vectors.AsSpan(i * rank, rank).CopyTo(padded.AsSpan(i * dim));
        return padded;
    }
}
