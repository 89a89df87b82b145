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

    private static string Dll => Path.Combine(TestRepository.Root, "samples", "CountVectors", "bin", TestRepository.Configuration, "net10.0", "CountVectors.dll");

    private (int Code, string Output) CountVectors(string arguments) =>
        TestRepository.Run("dotnet", $"\"{Dll}\" {arguments}", _dir, TimeSpan.FromMinutes(5));

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
            // Word2Vec's default loss is negative sampling: the nce run must have asked for NCE itself.
            if (method is "sgns" or "nce")
                Assert.Equal(method == "sgns" ? "negative-sampling" : "nce", metrics.RootElement.GetProperty("loss").GetString());
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
    public void TheSmokeTestChecksGloVeAndBothWord2VecLossesAndMakesNoRun()
    {
        var corpus = PlantedTopics.Write(Path.Combine(_dir, "topics.txt"), 100);
        var logdir = Path.Combine(_dir, "runs");
        var (code, output) = CountVectors($"--smoke --corpus \"{corpus}\" --logdir \"{logdir}\" --method all --threads 1 --dim 32 --min-count 1 --batch 64");
        Assert.True(code == 0, output);
        Assert.Contains("nothing to train", output);
        // GloVe's four tables here, word2vec's through its program (its lines prefixed with the method).
        foreach (var table in new[] { "glove/word ", "glove/context ", "glove/word_bias ", "glove/context_bias ", "sgns | ", "nce | " })
            Assert.Contains(table, output);
        Assert.Equal(3, output.Split('\n').Count(l => l.TrimEnd().EndsWith("smoke test passed", StringComparison.Ordinal)));
        Assert.False(Directory.Exists(logdir) && Directory.GetDirectories(logdir, "run-*").Length > 0, "--smoke made a run directory");
    }

    [Theory]
    [InlineData("--method glove --glove-rate 1e30")]
    [InlineData("--method sgns --word2vec-args \"--learning-rate 1e30\"")]
    public void AFailedSmokeTestExitsWithItsOwnCode(string arguments)
    {
        var corpus = PlantedTopics.Write(Path.Combine(_dir, "topics.txt"), 100);
        var (code, _, error) = TestRepository.RunSeparately("dotnet", $"\"{Dll}\" --smoke --corpus \"{corpus}\" --threads 1 --dim 32 --min-count 1 {arguments}", _dir, TimeSpan.FromMinutes(3));
        Assert.Equal(GraphCompiler.Samples.ExitCodes.SmokeTestFailed, code);
        Assert.Contains("smoke test failed", error);
    }

    [Fact]
    public void ThePpmiCountsReportTheirMemory()
    {
        var corpus = PlantedTopics.Write(Path.Combine(_dir, "topics.txt"), 40);
        var (code, output) = CountVectors($"--corpus \"{corpus}\" --logdir \"{Path.Combine(_dir, "runs")}\" --method ppmi-svd --min-count 1 --dim 64");
        Assert.True(code == 0, output);
        Assert.Contains("MiB CSR", output);
    }

    // A failure's stderr: exactly one "error:" line (System.CommandLine may add a line pointing to --help), no stack trace.
    private (int Code, string ErrorLine) RunForError(string arguments)
    {
        var (code, _, error) = TestRepository.RunSeparately("dotnet", $"\"{Dll}\" {arguments}", _dir, TimeSpan.FromMinutes(5));
        Assert.DoesNotContain("   at ", error);
        return (code, Assert.Single(error.Split('\n', StringSplitOptions.TrimEntries), l => l.StartsWith("error:", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("--method lsa", "--method takes ppmi-svd, glove, sgns, nce or all (comma-separated), got 'lsa'")]
    [InlineData("--method glove --dim 0", "--dim needs an integer ≥ 1, got '0'")]
    [InlineData("--alpha 2", "--alpha needs a number in (0, 1], got '2'")]
    [InlineData("--threads 0", "--threads needs an integer ≥ 1, got '0'")]
    [InlineData("--word2vec-args \"--window 3 --loss nce\"", "--word2vec-args cannot hold --loss")]
    [InlineData("--corpus missing.txt", "corpus (")]
    [InlineData("--method sgns --word2vec missing.dll", "Word2Vec program (")]
    public void BadOptionsAreRefused(string arguments, string message)
    {
        var (code, line) = RunForError(arguments);
        Assert.Contains(message, line);
        Assert.Equal(2, code);
    }

    [Fact]
    public void AWord2VecFailureKeepsItsOneLineErrorAndExitCode()
    {
        var corpus = PlantedTopics.Write(Path.Combine(_dir, "topics.txt"), 40);
        var (code, line) = RunForError($"--corpus \"{corpus}\" --logdir \"{Path.Combine(_dir, "runs")}\" --method nce --min-count 1 --dim 64 --word2vec-args \"--batch 0\"");
        Assert.Contains("word2vec run (nce)", line);
        Assert.Contains("--batch needs an integer ≥ 1", line);
        Assert.Equal(2, code);
    }

    [Fact]
    public void HelpListsTheOptions()
    {
        var (code, output) = CountVectors("--help");
        Assert.Equal(0, code);
        foreach (var option in new[] { "--method", "--word2vec-epochs", "--word2vec-args", "--glove-rate", "--verbose" }) Assert.Contains(option, output);
    }
}
