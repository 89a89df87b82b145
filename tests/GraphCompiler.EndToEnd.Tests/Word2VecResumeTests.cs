using GraphCompiler.Runtime.Checkpoints;
using GraphCompiler.Runtime.Summaries;

namespace GraphCompiler.EndToEnd.Tests;

/// <summary>
/// The Word2Vec program's run directories and resume: runs keep their own checkpoints, a resumed run
/// continues its data, schedule and step count exactly (bit for bit on one thread), and a checkpoint
/// that does not belong to this corpus or these settings, or holds NaN, is refused.
/// </summary>
public sealed class Word2VecResumeTests : IDisposable
{
    private readonly Word2VecProgram _program = new();

    public void Dispose() => _program.Dispose();

    private string Settings(string corpus, int threads = 1, int checkpointEvery = 5) =>
        $"--corpus \"{corpus}\" --logdir \"{_program.LogDir}\" --threads {threads} --dim 64 --min-count 1 --subsample 0 --checkpoint-every {checkpointEvery} --epochs 2";

    private (int Code, string Output) Succeed(string arguments)
    {
        var (code, output) = _program.Run(arguments);
        Assert.True(code == 0, output);
        return (code, output);
    }

    private static long GlobalStep(string run) => Word2VecProgram.GlobalStep(run);

    [Fact]
    public void AFreshRunNeverPrunesAnotherRunsCheckpoints()
    {
        var corpus = _program.PlantedCorpus(20);
        Succeed(Settings(corpus) + " --steps 40");
        var first = _program.OnlyRun();
        var kept = Word2VecProgram.Checkpoints(first);
        Assert.Equal(5, kept.Length);   // 8 saves, the 5 latest kept
        Succeed(Settings(corpus) + " --steps 40");
        Assert.Equal(2, _program.Runs().Length);
        Assert.Equal(kept, Word2VecProgram.Checkpoints(first));
        Assert.Equal(kept, Word2VecProgram.Checkpoints(_program.Runs()[1]));
    }

    [Fact]
    public void AResumedRunEndsAtTheSameStepWithTheSameWeightsOnOneThread()
    {
        var corpus = _program.PlantedCorpus(20);
        Succeed(Settings(corpus));
        var straight = _program.OnlyRun();
        long total = GlobalStep(straight);
        Assert.True(total > 20, $"{total} steps");

        Directory.Move(straight, Path.Combine(_program.Folder, "straight"));
        Succeed(Settings(corpus) + $" --steps {total / 2 + 2}");   // stopped part-way through an epoch, off a checkpoint multiple
        var (_, resumed) = Succeed(Settings(corpus) + " --resume");
        Assert.Contains($"at step {total / 2 + 2}", resumed);
        var run = _program.OnlyRun();
        Assert.Equal(total, GlobalStep(run));

        Word2VecProgram.AssertSameWeights(Path.Combine(_program.Folder, "straight"), run);
    }

    [Fact]
    public void AResumedHogwildRunEndsAtTheUninterruptedStepCount()
    {
        var corpus = _program.PlantedCorpus(20);
        Succeed(Settings(corpus, threads: 2));
        var straight = _program.OnlyRun();
        long total = GlobalStep(straight);
        Directory.Delete(straight, recursive: true);
        Succeed(Settings(corpus, threads: 2) + " --steps 13");
        Succeed($"--logdir \"{_program.LogDir}\" --corpus \"{corpus}\" --resume");   // the settings come from the checkpoint
        var run = _program.OnlyRun();
        Assert.Equal(total, GlobalStep(run));
        // Both threads count on one step counter: no summary lies past the final step.
        var steps = Directory.GetFiles(run, "events.out.tfevents.*").SelectMany(f => EventFileReader.Read(f).Events).Select(e => e.Step);
        Assert.All(steps, step => Assert.InRange(step, 0, total));
    }

    [Fact]
    public void ResumingWithAnotherCorpusOrSettingsNamesTheDifference()
    {
        var corpus = _program.PlantedCorpus(20);
        var other = _program.PlantedCorpus(12, "other.txt", seed: 9);
        Succeed(Settings(corpus) + " --steps 10");
        var run = _program.OnlyRun();

        var (code, error) = _program.RunForError(Settings(other) + " --resume");
        Assert.Equal(2, code);
        Assert.Contains("the corpus differs", error);
        Assert.Contains("other.txt", error);

        (code, error) = _program.RunForError(Settings(corpus) + " --window 3 --resume");
        Assert.Equal(2, code);
        Assert.Contains("--window 3 (the run's: 5)", error);

        var (_, output) = Succeed(Settings(other) + $" --resume \"{run}\" --resume-weights-only --steps 5");
        Assert.Contains("started a new run from the weights", output);
        Assert.Equal(2, _program.Runs().Length);
        Assert.Equal(5, GlobalStep(_program.Runs()[1]));
    }

    [Fact]
    public void ADivergingLossStopsWithoutSavingItsCheckpoint()
    {
        var corpus = _program.PlantedCorpus(20);
        var (code, error) = _program.RunForError(Settings(corpus, checkpointEvery: 1) + " --learning-rate 1e30");
        Assert.Equal(3, code);
        Assert.Matches(@"^error: the loss diverged at step (\d+); the last good checkpoint is .*word2vec-\d+\s*$", error);
        int step = int.Parse(System.Text.RegularExpressions.Regex.Match(error, @"step (\d+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.DoesNotContain($"word2vec-{step}.safetensors", Word2VecProgram.Checkpoints(_program.OnlyRun()));
        Assert.Contains($"word2vec-{step - 1}.safetensors", Word2VecProgram.Checkpoints(_program.OnlyRun()));
    }

    [Fact]
    public void ACheckpointHoldingNaNIsRefusedOnResume()
    {
        var corpus = _program.PlantedCorpus(20);
        Succeed(Settings(corpus) + " --steps 10");
        var path = Saver.DataFilePath(Saver.LatestCheckpoint(Path.Combine(_program.OnlyRun(), "checkpoints"))!);
        var file = SafeTensorsFile.Read(path);
        var tensors = file.Tensors.Select(t =>
        {
            if (t.Name != "embed/embed_matrix") return t;
            var data = (byte[])t.Data.Clone();
            BitConverter.GetBytes(float.NaN).CopyTo(data, 4 * 64 * 3);
            return new SafeTensor(t.Name, t.DType, t.Shape, data);
        }).ToList();
        var metadata = file.Metadata.Where(kv => kv.Key != "__metadata__").ToDictionary();
        SafeTensorsFile.Write(path, tensors, metadata);

        var (code, error) = _program.RunForError(Settings(corpus) + " --resume");
        Assert.Equal(2, code);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith("error: ", line);
        Assert.Contains("embed/embed_matrix", line);
        Assert.Contains("word2vec-10", line);
    }
}
