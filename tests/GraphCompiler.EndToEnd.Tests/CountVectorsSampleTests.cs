using System.Text.Json;

namespace GraphCompiler.EndToEnd.Tests;

/// <summary>
/// The CountVectors program end to end on a planted-topics corpus: every method (PPMI-SVD, GloVe and
/// word2vec's two losses) separates the topics, writes the same outputs, and the comparison is saved.
/// </summary>
public sealed class CountVectorsSampleTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "countvec-test-" + Guid.NewGuid().ToString("N"));

    public CountVectorsSampleTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private (int Code, string Output) CountVectors(string arguments)
    {
        var dll = Path.Combine(TestRepository.Root, "samples", "CountVectors", "bin", TestRepository.Configuration, "net10.0", "CountVectors.dll");
        return TestRepository.Run("dotnet", $"\"{dll}\" {arguments}", _dir, TimeSpan.FromMinutes(5));
    }

    [Fact]
    public void EveryMethodSeparatesPlantedTopicsAndTheComparisonIsSaved()
    {
        var corpus = PlantedTopics.Write(Path.Combine(_dir, "topics.txt"), 300);
        var logdir = Path.Combine(_dir, "runs");
        var (code, output) = CountVectors($"--corpus \"{corpus}\" --logdir \"{logdir}\" --method all --threads 1 --dim 64 --min-count 1 --seed 4 " +
            "--glove-window 5 --glove-epochs 30 --batch 64 --word2vec-epochs 2 --word2vec-args \"--window 3 --subsample 0\"");
        Assert.True(code == 0, output);
        var run = Assert.Single(Directory.GetDirectories(logdir, "run-*"));
        foreach (var method in new[] { "ppmi-svd", "glove", "sgns", "nce" })
        {
            var directory = Path.Combine(run, method);
            foreach (var file in new[] { "vectors.tsv", "metadata.tsv", "projector_config.pbtxt", "embeddings.html", "metrics.json" })
                Assert.True(File.Exists(Path.Combine(directory, file)), $"{method} wrote no {file}");
            using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "metrics.json")));
            Assert.Equal(method, metrics.RootElement.GetProperty("method").GetString());
            Assert.True(metrics.RootElement.GetProperty("train_seconds").GetDouble() > 0);
            PlantedTopics.AssertSeparated(directory, method);
        }
        var table = File.ReadAllText(Path.Combine(run, "comparison.md"));
        Assert.Equal(4, table.Split('\n').Count(l => l.StartsWith("| ppmi-svd |", StringComparison.Ordinal) || l.StartsWith("| glove |", StringComparison.Ordinal)
            || l.StartsWith("| sgns |", StringComparison.Ordinal) || l.StartsWith("| nce |", StringComparison.Ordinal)));
        var svg = System.Xml.Linq.XDocument.Load(Path.Combine(run, "comparison.svg"));
        Assert.Equal("svg", svg.Root!.Name.LocalName);
        Assert.Contains("| method | seconds |", output);
    }

    [Fact]
    public void ThePpmiCountsReportTheirMemory()
    {
        var corpus = PlantedTopics.Write(Path.Combine(_dir, "topics.txt"), 40);
        var (code, output) = CountVectors($"--corpus \"{corpus}\" --logdir \"{Path.Combine(_dir, "runs")}\" --method ppmi-svd --min-count 1 --dim 64");
        Assert.True(code == 0, output);
        Assert.Contains("MiB CSR", output);
    }

    [Theory]
    [InlineData("--method lsa", "--method takes")]
    [InlineData("--method glove --dim 96", "no compiled GloVe model")]
    [InlineData("--alpha 2", "--alpha must lie in (0, 1]")]
    public void BadOptionsAreRefused(string arguments, string message)
    {
        var (code, output) = CountVectors(arguments);
        Assert.Equal(2, code);
        Assert.Contains(message, output);
    }
}
