using GraphCompiler.EndToEnd.Tests.Models;
using GraphCompiler.Runtime;
using GraphCompiler.Runtime.Checkpoints;
using GraphCompiler.Runtime.Data;
using GraphCompiler.Runtime.Summaries;
using GraphCompiler.Runtime.Training;

namespace GraphCompiler.EndToEnd.Tests;

/// <summary>The "manage experiments" loop: dataset pipeline → Fit → generated TrainStep, with summaries and checkpoints.</summary>
public class ExperimentTests
{
    private static (float[] X, float[] Y) Data(int n)
    {
        var rng = new Random(3);
        var x = new float[n * 6];
        var y = new float[n * 3];
        for (int i = 0; i < x.Length; i++) x[i] = (float)rng.NextDouble() * 2 - 1;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < 3; j++) y[i * 3 + j] = 0.5f * x[i * 6 + j] - 0.25f * x[i * 6 + j + 3];
        return (x, y);
    }

    private static Dataset<(Batch<float> First, Batch<float> Second)> Pipeline(float[] x, float[] y, ulong seed) =>
        Dataset.Zip(Dataset.FromTensorSlices(x, new[] { x.Length / 6, 6 }), Dataset.FromTensorSlices(y, new[] { y.Length / 3, 3 }))
            .Shuffle(64, seed)
            .Repeat()
            .Batch(16, dropRemainder: true)
            .Prefetch(2);

    [Fact]
    public void FitTrainsAGeneratedModelFromBatchesWithSummariesAndCheckpoints()
    {
        var dir = Directory.CreateTempSubdirectory("gc-experiment-");
        try
        {
            var (x, y) = Data(256);
            var model = new MlpModel(seed: 9);
            float before = model.Loss(x, y);
            var checkpoints = new CheckpointCallback(model, Path.Combine(dir.FullName, "ckpt"), "mlp", interval: 50);
            using var writer = new SummaryWriter(Path.Combine(dir.FullName, "logs"));
            var result = Trainer.Fit(model, Pipeline(x, y, seed: 1), b => model.TrainStep(b.First.Span, b.Second.Span, 0.05f), new FitOptions
            {
                MaxSteps = 200,
                StepIncrementsGlobalStep = true,
                Callbacks = [checkpoints, new EveryNSteps(20, step => writer.Scalar("train/loss", model.Loss(x, y), step))],
                LogInterval = 0,
                HandleCtrlC = false,
            });
            Assert.Equal(200, result.GlobalStep);
            Assert.True(model.Loss(x, y) < 0.5f * before, $"loss {before} → {model.Loss(x, y)}");
            Assert.Equal(Path.Combine(dir.FullName, "ckpt", "mlp-200"), Saver.LatestCheckpoint(Path.Combine(dir.FullName, "ckpt")));
            Assert.Equal(new[] { "mlp-50", "mlp-100", "mlp-150", "mlp-200" }, checkpoints.Saved.Select(Path.GetFileName));

            var restored = new MlpModel(seed: 1);
            new Saver().Restore(restored, Saver.LatestCheckpoint(Path.Combine(dir.FullName, "ckpt"))!);
            Assert.Equal(200, restored.GlobalStep);
            Assert.Equal(model.Loss(x, y), restored.Loss(x, y));
            writer.Flush();
            var events = EventFileReader.Read(writer.FilePath);
            Assert.Equal(10, events.Events.Count(e => e.Values.Any(v => v.Tag == "train/loss")));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void TheSameSeedsGiveTheSameRunBitForBit()
    {
        float[] Run(ulong modelSeed, ulong dataSeed)
        {
            var (x, y) = Data(128);
            var model = new MlpModel(seed: modelSeed);
            Trainer.Fit(model, Pipeline(x, y, dataSeed), b => model.TrainStep(b.First.Span, b.Second.Span, 0.05f),
                new FitOptions { MaxSteps = 30, StepIncrementsGlobalStep = true, LogInterval = 0, HandleCtrlC = false });
            return ((IModel)model).AllVariables.SelectMany(v => v.ToDoubleArray()).Select(d => (float)d).ToArray();
        }
        Assert.Equal(Run(4, 8), Run(4, 8));
        Assert.NotEqual(Run(4, 8), Run(5, 8));
        Assert.NotEqual(Run(4, 8), Run(4, 9));
    }

    [Fact]
    public void InterruptingFitSavesACheckpoint()
    {
        var dir = Directory.CreateTempSubdirectory("gc-interrupt-");
        try
        {
            var (x, y) = Data(64);
            var model = new MlpModel(seed: 2);
            var checkpoints = new CheckpointCallback(model, dir.FullName, "mlp", interval: 1000);
            using var cancel = new CancellationTokenSource();
            var result = Trainer.Fit(model, Pipeline(x, y, 1), b =>
            {
                var loss = model.TrainStep(b.First.Span, b.Second.Span, 0.05f);
                if (model.GlobalStep == 7) cancel.Cancel();
                return loss;
            }, new FitOptions { MaxSteps = 100, StepIncrementsGlobalStep = true, Callbacks = [checkpoints], LogInterval = 0, HandleCtrlC = false, CancellationToken = cancel.Token });
            Assert.True(result.Interrupted);
            Assert.Equal(Path.Combine(dir.FullName, "mlp-7"), Saver.LatestCheckpoint(dir.FullName));
            var resumed = new MlpModel(seed: 2);
            Assert.Equal(7, new CheckpointCallback(resumed, dir.FullName, "mlp").ResumeLatest());
            Assert.Equal(model.Variables.W1.Data, resumed.Variables.W1.Data);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}

public class ExperimentSampleTests
{
    [Fact]
    public void TheSmokeTestChecksOneBatchAndWritesNothing()
    {
        var root = Directory.CreateTempSubdirectory("gc-sample-");
        try
        {
            var dll = Path.Combine(TestRepository.Root, "samples", "Experiment", "bin", TestRepository.Configuration, "net10.0", "Experiment.dll");
            var run = TestRepository.Run("dotnet", $"\"{dll}\" \"{root.FullName}\" --smoke", TestRepository.Root, TimeSpan.FromMinutes(2));
            Assert.True(run.ExitCode == 0, run.Output);
            Assert.Contains("smoke test passed", run.Output);
            Assert.Contains("linear/W", run.Output);
            Assert.Empty(Directory.GetFileSystemEntries(root.FullName));
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    [Fact]
    public void TheSampleWritesRunsAndCheckpointsAndResumes()
    {
        var root = Directory.CreateTempSubdirectory("gc-sample-");
        try
        {
            var dll = Path.Combine(TestRepository.Root, "samples", "Experiment", "bin", TestRepository.Configuration, "net10.0", "Experiment.dll");
            var first = TestRepository.Run("dotnet", $"\"{dll}\" \"{root.FullName}\" 200", TestRepository.Root, TimeSpan.FromMinutes(2));
            Assert.True(first.ExitCode == 0, first.Output);
            Assert.Contains("global step: 200", first.Output);
            var second = TestRepository.Run("dotnet", $"\"{dll}\" \"{root.FullName}\" 200", TestRepository.Root, TimeSpan.FromMinutes(2));
            Assert.True(second.ExitCode == 0, second.Output);
            Assert.Contains("resumed from linear-200 at step 200", second.Output);
            Assert.Contains("global step: 400", second.Output);
            Assert.Equal(2, Directory.GetDirectories(Path.Combine(root.FullName, "logs"), "run-*").Length);
            Assert.True(File.Exists(Path.Combine(root.FullName, "checkpoints", "linear-400.safetensors")));
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }
}
