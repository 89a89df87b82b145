namespace GraphCompiler.EndToEnd.Tests;

/// <summary>Word2Vec's <c>--smoke</c>: the runtime's smoke test on the first batch the corpus streams, for either loss, with its own exit code.</summary>
public sealed class Word2VecSmokeTests : IDisposable
{
    private readonly Word2VecProgram _program = new();

    public void Dispose() => _program.Dispose();

    private string Settings(string loss) =>
        $"--smoke --loss {loss} --corpus \"{_program.PlantedCorpus(200)}\" --logdir \"{_program.LogDir}\" --threads 1 --dim 32 --min-count 1";

    [Theory]
    [InlineData("negative-sampling", new[] { "embed/embed_matrix", "loss/nce_weight" })]
    [InlineData("nce", new[] { "embed/embed_matrix", "loss/nce_weight", "loss/nce_bias" })]
    public void EachLossPassesWithEveryTableMovedAndNoRunMade(string loss, string[] tables)
    {
        var (code, output) = _program.Run(Settings(loss));
        Assert.True(code == 0, output);
        Assert.Contains("smoke test: one train step on one batch of 128 examples", output);
        // Every trainable table is listed with a finite, non-zero gradient norm.
        foreach (var table in tables)
            Assert.Matches($@"{table} \[[\d, ]+\]\s+[0-9.eE+-]+\s*$", output.Split('\n').Single(l => l.TrimStart().StartsWith(table + " [", StringComparison.Ordinal)));
        Assert.DoesNotContain("ZERO gradient", output);
        Assert.Contains("(fell)", output);
        Assert.Contains("smoke test passed", output);
        Assert.False(Directory.Exists(_program.LogDir) && _program.Runs().Length > 0, "--smoke made a run directory");
    }

    [Fact]
    public void ADivergingStepFailsWithTheSmokeTestsExitCode()
    {
        var (code, error) = _program.RunForError(Settings("negative-sampling") + " --learning-rate 1e30");
        Assert.Equal(GraphCompiler.Samples.ExitCodes.SmokeTestFailed, code);
        Assert.StartsWith("error: smoke test failed:", error);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
