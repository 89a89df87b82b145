using GraphCompiler.Runtime.Data;
using GraphCompiler.Runtime.Training;

namespace GraphCompiler.Runtime.Tests.Training;

public class TrainerFitTests
{
    private static readonly FitOptions Quiet = new() { LogInterval = 0, HandleCtrlC = false };

    private static Dataset<int> Range(int n) => Dataset.FromArray(Enumerable.Range(0, n).ToArray());

    [Fact]
    public void Fit_RunsEveryBatchOfEveryEpoch_AndAdvancesTheGlobalStep()
    {
        var model = new FakeModel { GlobalStep = 100 };
        var seen = new List<int>();
        var result = Trainer.Fit(model, Range(10).Batch(3), b =>
        {
            seen.Add(b.Length);
            return b.Sum();
        }, new FitOptions { Epochs = 3, LogInterval = 0, HandleCtrlC = false });

        Assert.Equal(12, seen.Count);
        Assert.Equal([3, 3, 3, 1], seen.Take(4));
        Assert.Equal(12, result.Steps);
        Assert.Equal(112, model.GlobalStep);
        Assert.Equal(112, result.GlobalStep);
        Assert.False(result.Interrupted);
        Assert.False(result.StoppedEarly);
        Assert.Equal(3, result.Epochs.Count);
        Assert.Equal(new EpochMetrics(2, 4, (3 + 12 + 21 + 9) / 4f, 108), result.Epochs[1]);
        Assert.Equal(9f, result.LastLoss);
    }

    [Fact]
    public void Fit_DefaultsToOneEpoch()
    {
        var model = new FakeModel();
        var result = Trainer.Fit(model, Range(5), _ => 0f, Quiet);
        Assert.Equal(5, result.Steps);
        Assert.Single(result.Epochs);
    }

    [Fact]
    public void Fit_MaxSteps_OnAnInfiniteDataset_StopsExactly()
    {
        var model = new FakeModel();
        int calls = 0;
        var result = Trainer.Fit(model, Range(4).Repeat(), _ => calls++, new FitOptions { MaxSteps = 10, LogInterval = 0, HandleCtrlC = false });
        Assert.Equal(10, calls);
        Assert.Equal(10, result.Steps);
        Assert.Equal(10, model.GlobalStep);
        Assert.Empty(result.Epochs);
    }

    [Fact]
    public void Fit_MaxSteps_WithoutEpochs_RunsAsManyEpochsAsNeeded_AndCountsAnEpochEndingAtTheLimit()
    {
        var model = new FakeModel();
        var result = Trainer.Fit(model, Range(4), _ => 1f, new FitOptions { MaxSteps = 8, LogInterval = 0, HandleCtrlC = false });
        Assert.Equal(8, result.Steps);
        Assert.Equal(2, result.Epochs.Count);

        var partial = Trainer.Fit(new FakeModel(), Range(4), _ => 1f, new FitOptions { MaxSteps = 6, LogInterval = 0, HandleCtrlC = false });
        Assert.Equal(6, partial.Steps);
        Assert.Single(partial.Epochs);
    }

    [Fact]
    public void Fit_EpochsAndMaxSteps_WhicheverComesFirst()
    {
        var result = Trainer.Fit(new FakeModel(), Range(4), _ => 1f, new FitOptions { Epochs = 5, MaxSteps = 6, LogInterval = 0, HandleCtrlC = false });
        Assert.Equal(6, result.Steps);
        result = Trainer.Fit(new FakeModel(), Range(4), _ => 1f, new FitOptions { Epochs = 1, MaxSteps = 100, LogInterval = 0, HandleCtrlC = false });
        Assert.Equal(4, result.Steps);
    }

    [Fact]
    public void Fit_WhenTheStepAdvancesTheGlobalStep_FitDoesNotAddAnother()
    {
        var model = new FakeModel();
        var options = new FitOptions { Epochs = 2, StepIncrementsGlobalStep = true, LogInterval = 0, HandleCtrlC = false };
        var result = Trainer.Fit(model, Range(3), _ =>
        {
            model.GlobalStep++;
            return 0f;
        }, options);
        Assert.Equal(6, model.GlobalStep);
        Assert.Equal(6, result.Steps);

        var e = Assert.Throws<InvalidOperationException>(() => Trainer.Fit(new FakeModel(), Range(3), _ => 0f, options));
        Assert.Contains("StepIncrementsGlobalStep", e.Message);
    }

    [Fact]
    public void Fit_CallsCallbacksInOrder()
    {
        var log = new List<string>();
        var options = new FitOptions
        {
            Epochs = 2,
            LogInterval = 0,
            HandleCtrlC = false,
            Callbacks = [new RecordingCallback("a", log), new RecordingCallback("b", log)],
        };
        Trainer.Fit(new FakeModel(), Range(2), _ => 0f, options);
        Assert.Equal(
            [
                "a:begin@0", "b:begin@0",
                "a:step1", "b:step1", "a:step2", "b:step2", "a:epoch1(2 steps)", "b:epoch1(2 steps)",
                "a:step3", "b:step3", "a:step4", "b:step4", "a:epoch2(2 steps)", "b:epoch2(2 steps)",
                "a:end@4", "b:end@4",
            ],
            log);
    }

    [Fact]
    public void Fit_ACallbackCanStopTraining()
    {
        var log = new List<string>();
        var stopper = new RecordingCallback("s", log) { StopAtStep = step => step == 3 };
        var result = Trainer.Fit(new FakeModel(), Range(10), _ => 0f, new FitOptions
        {
            Epochs = 5, LogInterval = 0, HandleCtrlC = false, Callbacks = [stopper],
        });
        Assert.Equal(3, result.Steps);
        Assert.Same(stopper, result.StoppedBy);
        Assert.True(result.StoppedEarly);
        Assert.Equal("s:end@3", log[^1]);
        Assert.DoesNotContain(log, l => l.Contains("interrupt"));
    }

    [Fact]
    public void Fit_Cancellation_FinishesTheStep_CallsOnInterruptOnEveryCallback_ThenOnTrainEnd()
    {
        var log = new List<string>();
        using var cts = new CancellationTokenSource();
        var model = new FakeModel();
        int completedSteps = 0;
        var result = Trainer.Fit(model, Range(100).Repeat(), _ =>
        {
            if (model.GlobalStep == 2) cts.Cancel();
            completedSteps++;
            return 0f;
        }, new FitOptions
        {
            MaxSteps = 1000,
            LogInterval = 0,
            CancellationToken = cts.Token,
            Callbacks = [new RecordingCallback("a", log), new RecordingCallback("b", log)],
        });
        Assert.True(result.Interrupted);
        Assert.Equal(3, completedSteps);
        Assert.Equal(3, result.Steps);
        Assert.Equal(3, model.GlobalStep);
        Assert.Equal(["a:step3", "b:step3", "a:interrupt@3", "b:interrupt@3", "a:end@3", "b:end@3"], log.Skip(log.Count - 6));
    }

    [Fact]
    public void Fit_AlreadyCancelled_TakesNoStep()
    {
        var log = new List<string>();
        var result = Trainer.Fit(new FakeModel(), Range(5), _ => throw new InvalidOperationException("must not run"), new FitOptions
        {
            LogInterval = 0,
            HandleCtrlC = false,
            CancellationToken = new CancellationToken(canceled: true),
            Callbacks = [new RecordingCallback("a", log)],
        });
        Assert.True(result.Interrupted);
        Assert.Equal(0, result.Steps);
        Assert.Equal(["a:begin@0", "a:interrupt@0", "a:end@0"], log);
    }

    [Fact]
    public void InterruptSignal_FirstRequestCancelsTermination_SecondLetsItThrough()
    {
        var notice = new StringWriter();
        using var signal = InterruptSignal.Manual(notice);
        Assert.False(signal.Requested);
        Assert.True(signal.Request());
        Assert.True(signal.Requested);
        Assert.False(signal.Request());
        Assert.Contains("Ctrl+C again", notice.ToString());
    }

    [Fact]
    public void Fit_ReleasesBatchesAfterTheStep_UnlessToldNotTo()
    {
        var rows = Dataset.FromTensorSlices(new float[8], [4, 2]);
        Batch<float>? kept = null;
        Trainer.Fit(new FakeModel(), rows.Batch(2), b =>
        {
            kept = b;
            return b.Span.Length;
        }, Quiet);
        Assert.Throws<ObjectDisposedException>(() => kept!.Span.Length);

        Trainer.Fit(new FakeModel(), rows.Batch(2), b =>
        {
            kept = b;
            return 0f;
        }, new FitOptions { LogInterval = 0, HandleCtrlC = false, ReleaseBatches = false });
        Assert.Equal(4, kept!.Span.Length);
    }

    [Fact]
    public void Fit_EmptyDataset_IsAClearError()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Trainer.Fit(new FakeModel(), Range(0), _ => 0f, Quiet));
        Assert.Contains("no batches in epoch 1", e.Message);
    }

    [Fact]
    public void Fit_StepException_Propagates()
    {
        var e = Assert.Throws<ArithmeticException>(() => Trainer.Fit(new FakeModel(), Range(3), _ => throw new ArithmeticException("nan"), Quiet));
        Assert.Equal("nan", e.Message);
    }

    [Fact]
    public void Fit_InvalidOptions_AreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Trainer.Fit(new FakeModel(), Range(3), _ => 0f, new FitOptions { Epochs = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Trainer.Fit(new FakeModel(), Range(3), _ => 0f, new FitOptions { MaxSteps = -1 }));
        Assert.Throws<ArgumentException>(() => Trainer.Fit(new FakeModel(), Range(3), _ => 0f, new FitOptions { Callbacks = [null!] }));
    }
}
