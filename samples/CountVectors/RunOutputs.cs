using System.Globalization;
using System.Text.Json;
using GraphCompiler.Runtime.Embeddings;

namespace CountVectors;

/// <summary>
/// What every method leaves in its folder of the run directory, whichever method it is: the projector
/// files, the HTML viewer and metrics.json with its scores and seconds.
/// </summary>
public static class RunOutputs
{
    /// <summary>The evaluation files; null entries are skipped.</summary>
    public sealed record EvaluationFiles(string? Analogies, string? WordSim, string? SimLex);

    /// <summary>Scores <paramref name="trained"/>, writes its outputs into <paramref name="directory"/>, and returns the scores.</summary>
    public static Scores Write(string directory, TrainedVectors trained, EvaluationFiles files)
    {
        Directory.CreateDirectory(directory);
        var embeddings = new EmbeddingMatrix(trained.Vectors, trained.Words.Count, trained.Dim);
        ProjectorExport.Write(directory, Options.NameOf(trained.Method), embeddings, trained.Words, trained.Counts);
        EmbeddingPage.Write(Path.Combine(directory, EmbeddingPage.FileName), embeddings, trained.Words, maxPoints: Math.Min(1000, trained.Words.Count),
            title: $"{Options.NameOf(trained.Method)} word vectors");
        var scores = Score(new WordVectors(embeddings, trained.Words), files);

        var metrics = new Dictionary<string, object?>
        {
            ["method"] = Options.NameOf(trained.Method),
            ["train_seconds"] = trained.Seconds,
            ["cpu_seconds"] = trained.CpuSeconds,
            ["dim"] = trained.Dim,
            ["vocab_size"] = trained.Words.Count,
            ["analogy_accuracy"] = scores.AnalogyAccuracy,
            ["analogy_questions"] = scores.AnalogyAnswered,
            ["analogy_coverage"] = scores.AnalogyQuestions == 0 ? null : (double)scores.AnalogyAnswered / scores.AnalogyQuestions,
            ["wordsim_spearman"] = scores.WordSim,
            ["wordsim_pairs"] = scores.WordSimAnswered,
            ["simlex_spearman"] = scores.SimLex,
            ["simlex_pairs"] = scores.SimLexAnswered,
        };
        foreach (var (key, value) in trained.Details) metrics[key] = value;
        File.WriteAllText(Path.Combine(directory, "metrics.json"), JsonSerializer.Serialize(metrics, new JsonSerializerOptions { WriteIndented = true }));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Options.NameOf(trained.Method)}: {trained.Seconds:F1} s; analogies {Format(scores.AnalogyAccuracy, "P2")} of {scores.AnalogyAnswered:N0}; WordSim {Format(scores.WordSim, "F3")}; SimLex {Format(scores.SimLex, "F3")}"));
        return scores;
    }

    /// <summary>A score for a table cell: "–" when there is none.</summary>
    public static string Format(double? value, string format) => value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : "–";

    private static Scores Score(WordVectors vectors, EvaluationFiles files)
    {
        AnalogyScore? analogy = files.Analogies is null ? null : Evaluation.Analogies(vectors, files.Analogies).Total;
        var wordsim = files.WordSim is null ? null : Evaluation.WordSimilarity(vectors, files.WordSim);
        var simlex = files.SimLex is null ? null : Evaluation.WordSimilarity(vectors, files.SimLex);
        return new Scores(Finite(analogy?.Accuracy), analogy?.Answered ?? 0, analogy?.Questions ?? 0,
            Finite(wordsim?.Spearman), wordsim?.Answered ?? 0, Finite(simlex?.Spearman), simlex?.Answered ?? 0);
    }

    // JSON has no NaN: a score over nothing covered is null.
    private static double? Finite(double? value) => value is { } v && double.IsFinite(v) ? v : null;
}
