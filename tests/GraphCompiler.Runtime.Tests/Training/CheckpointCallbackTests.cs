using GraphCompiler.Runtime.Checkpoints;
using GraphCompiler.Runtime.Data;
using GraphCompiler.Runtime.Tests.Checkpoints;
using GraphCompiler.Runtime.Training;

namespace GraphCompiler.Runtime.Tests.Training;

public sealed class CheckpointCallbackTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Fit_stops_with_a_divergence_error_naming_the_step_and_the_last_good_checkpoint_and_keeps_every_good_one()
    {
        var model = new TestModel();
        var w = model.Add<float>("w", 3);
        var checkpoints = new CheckpointCallback(model, _dir.Path, "model", interval: 2, new SaverOptions { MaxToKeep = 2 });
        var log = new List<string>();
        int steps = 0;
        // The weights blow up in the step that brings the global step to 7; the next save (step 8) must not happen.
        float Step(int batch)
        {
            steps++;
            if (model.GlobalStep == 6) w.Data[1] = float.NaN;
            return w.Data.Sum();
        }
        CheckpointException? error = null;
        try
        {
            Trainer.Fit(model, Dataset.FromArray(Enumerable.Range(0, 100).ToArray()), Step,
                new FitOptions { LogInterval = 0, HandleCtrlC = false, Callbacks = [checkpoints, new RecordingCallback("after", log)] });
        }
        catch (CheckpointException e)
        {
            error = e;
        }
        var state = File.ReadAllText(_dir.File(CheckpointState.FileName));

        Assert.NotNull(error);
        Assert.Equal(CheckpointErrorKind.NonFinite, error.Kind);
        Assert.Equal(8, steps);
        Assert.Equal(
            $"training diverged by step 8 (the loss was first NaN at step 7): variable 'w' (F32 [3]) holds 1 non-finite value (the first, NaN, at index 1); "
            + $"the checkpoint of step 8 was not saved and no checkpoint was deleted; the last good checkpoint is '{_dir.File("model-6")}'",
            error.Message);
        Assert.Equal(_dir.File("model-6"), error.LastGoodCheckpoint);
        Assert.Equal("w", error.TensorName);
        Assert.Equal([_dir.File("model-2"), _dir.File("model-4"), _dir.File("model-6")], checkpoints.Saved);
        Assert.Equal(["checkpoint", "model-4.safetensors", "model-6.safetensors"], Directory.GetFiles(_dir.Path).Select(Path.GetFileName).Order());
        Assert.Equal("model_checkpoint_path: \"model-6\"\nall_model_checkpoint_paths: \"model-4\"\nall_model_checkpoint_paths: \"model-6\"\n", state);
        // Training stopped at the refused save: later callbacks saw no step 8 and no end.
        Assert.DoesNotContain("after:step8", log);
        Assert.DoesNotContain(log, l => l.StartsWith("after:end", StringComparison.Ordinal));

        // The last good checkpoint restores cleanly.
        var fresh = new TestModel();
        fresh.Add<float>("w", 3);
        new Saver().Restore(fresh, error.LastGoodCheckpoint!);
        Assert.Equal(6, fresh.GlobalStep);
    }

    [Fact]
    public void A_final_save_of_diverged_weights_is_refused_too_and_says_there_is_nothing_to_go_back_to()
    {
        var model = new TestModel();
        var w = model.Add<double>("w", 2);
        var checkpoints = new CheckpointCallback(model, _dir.Path, "run", interval: 1000);
        var e = Assert.Throws<CheckpointException>(() => Trainer.Fit(model, Dataset.FromArray([1, 2, 3]), _ =>
        {
            w.Data[0] = double.PositiveInfinity;
            return 1f;
        }, new FitOptions { LogInterval = 0, HandleCtrlC = false, Callbacks = [checkpoints] }));
        Assert.Equal(CheckpointErrorKind.NonFinite, e.Kind);
        Assert.StartsWith("training diverged by step 3: variable 'w' (F64 [2]) holds 1 non-finite value (the first, +Inf, at index 0)", e.Message);
        Assert.EndsWith($"there is no good checkpoint in '{_dir.Path}' to go back to", e.Message);
        Assert.Null(e.LastGoodCheckpoint);
        Assert.Empty(Directory.GetFiles(_dir.Path));
    }

    [Fact]
    public void Resuming_from_a_non_finite_latest_checkpoint_names_the_last_good_one()
    {
        var model = new TestModel();
        var w = model.Add<float>("w", 2);
        var checkpoints = new CheckpointCallback(model, _dir.Path, "model", interval: 1);
        checkpoints.OnStepEnd(1, 0.5f);
        // The latest file damaged into NaN after it was written.
        checkpoints.OnStepEnd(2, 0.5f);
        var latest = SafeTensorsFile.Read(_dir.File("model-2.safetensors"));
        SafeTensorsFile.Write(_dir.File("model-2.safetensors"),
            latest.Tensors.Select(t => t.Name == "w" ? new SafeTensor("w", DType.Float32, [2], BitConverter.GetBytes(float.NaN).Concat(new byte[4]).ToArray()) : t).ToList());

        var e = Assert.Throws<CheckpointException>(() => new CheckpointCallback(model, _dir.Path).ResumeLatest());
        Assert.Equal(CheckpointErrorKind.NonFinite, e.Kind);
        Assert.Equal(_dir.File("model-1"), e.LastGoodCheckpoint);
    }
}
