using System.Text.Json;
using GraphCompiler.Runtime.Checkpoints;
using GraphCompiler.Runtime.Summaries;

namespace GraphCompiler.EndToEnd.Tests;

/// <summary>SIGINT (Ctrl+C) to a training Word2Vec process: it finishes the step, saves, flushes the summaries, writes metrics and exits 130.</summary>
public sealed class Word2VecInterruptTests : IDisposable
{
    private readonly Word2VecProgram _program = new();

    public void Dispose() => _program.Dispose();

    [Fact]
    public async Task SigintSavesACheckpointFlushesSummariesAndExits130()
    {
        if (OperatingSystem.IsWindows()) return;   // SIGINT is sent with kill(2)
        var corpus = _program.PlantedCorpus(40);
        using var process = _program.Start($"--corpus \"{corpus}\" --logdir \"{_program.LogDir}\" --threads 1 --dim 64 --min-count 1 --epochs 100000 --checkpoint-every 100");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            // Training is under way once the first checkpoint exists; the run is far longer than the wait (1,000
            // epochs of this corpus took 3 s once, and ended before the signal).
            var deadline = DateTime.UtcNow.AddMinutes(3);
            while (!(Directory.Exists(_program.LogDir) && _program.Runs().Any(r => File.Exists(Path.Combine(r, "checkpoints", "word2vec-100.safetensors")))))
            {
                if (process.HasExited) Assert.Fail($"the program ended before its first checkpoint: {await stdout}{await stderr}");
                Assert.True(DateTime.UtcNow < deadline, "no checkpoint within 3 minutes");
                await Task.Delay(100);
            }
            Word2VecProgram.Interrupt(process);
            Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), "the program did not stop after SIGINT");
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        string output = await stdout, error = await stderr;
        Assert.True(process.ExitCode == 130, $"exit code {process.ExitCode}: {output}{error}");
        Assert.Contains("SIGINT received", error);

        var run = _program.OnlyRun();
        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "metrics.json")));
        long step = metrics.RootElement.GetProperty("global_step").GetInt64();
        Assert.True(metrics.RootElement.GetProperty("interrupted").GetBoolean());
        Assert.True(step >= 100);
        Assert.Equal($"word2vec-{step}", Path.GetFileName(Saver.LatestCheckpoint(Path.Combine(run, "checkpoints"))));
        Assert.Equal(step.ToString(System.Globalization.CultureInfo.InvariantCulture), Saver.ReadMetadata(Saver.LatestCheckpoint(Path.Combine(run, "checkpoints"))!)["global_step"]);

        // The loss is written at global steps that are multiples of 100 (by the step that starts there): every one
        // the run passed is on disk.
        var events = Directory.GetFiles(run, "events.out.tfevents.*").SelectMany(f => EventFileReader.Read(f).Events).ToList();
        var lossSteps = events.Where(e => e.Values.Any(v => v.Tag == "loss/loss")).Select(e => e.Step).ToList();
        Assert.Equal(Enumerable.Range(0, (int)((step - 1) / 100) + 1).Select(i => i * 100L), lossSteps.Order());
        Assert.All(events, e => Assert.True(e.Step <= step, $"a summary at step {e.Step}, past the final step {step}"));
    }
}
