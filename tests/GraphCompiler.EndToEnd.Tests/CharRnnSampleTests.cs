namespace GraphCompiler.EndToEnd.Tests;

/// <summary>The CharRnn sample end to end: its smoke test, and generation from the stateful model after a little training.</summary>
public class CharRnnSampleTests
{
    private static string Dll => Path.Combine(TestRepository.Root, "samples", "CharRnn", "bin", TestRepository.Configuration, "net10.0", "CharRnn.dll");

    [Theory]
    [InlineData("gru")]
    [InlineData("lstm")]
    public void TheSmokeTestPasses(string cell)
    {
        var (code, output) = TestRepository.Run("dotnet", $"\"{Dll}\" --cell {cell} --smoke --chars 20000", TestRepository.Root, TimeSpan.FromMinutes(5));
        Assert.True(code == 0, output);
        Assert.Contains("smoke test passed", output, StringComparison.Ordinal);
    }

    [Fact]
    public void ItTrainsReportsPerplexityCheckpointsAndWritesAtThreeTemperatures()
    {
        var logs = Path.Combine(Path.GetTempPath(), "charrnn-" + Guid.NewGuid().ToString("N"));
        try
        {
            var arguments = $"\"{Dll}\" --chars 40000 --length 40 --prompt \"The \" --logdir \"{logs}\"";
            var (code, output) = TestRepository.Run("dotnet", arguments + " --epochs 1", TestRepository.Root, TimeSpan.FromMinutes(8));
            Assert.True(code == 0, output);
            Assert.Matches(@"validation perplexity [0-9.]+", output);
            foreach (var t in new[] { "0.5", "1.0", "1.5" }) Assert.Contains($"--- temperature {t} ---", output, StringComparison.Ordinal);
            // Each temperature writes the prompt and then 40 characters.
            var written = output.Split("--- temperature ").Skip(1).Select(part => part[(part.IndexOf('\n') + 1)..]).ToList();
            Assert.All(written, w => Assert.StartsWith("The ", w, StringComparison.Ordinal));
            Assert.True(File.Exists(Path.Combine(logs, "gru", "checkpoints", "checkpoint")), output);
            // --resume continues from the checkpoint the first run left.
            var (again, resumed) = TestRepository.Run("dotnet", arguments + " --resume --epochs 0", TestRepository.Root, TimeSpan.FromMinutes(5));
            Assert.True(again == 0, resumed);
            Assert.Contains("resumed from", resumed, StringComparison.Ordinal);
        }
        finally
        {
            if (Directory.Exists(logs)) Directory.Delete(logs, recursive: true);
        }
    }
}
