using GraphCompiler.Runtime.Data;
using GraphCompiler.Runtime.Training;

namespace GraphCompiler.Runtime.Tests.Training;

public class ProgressReporterTests
{
    private static (string Output, FitResult Result) Train(bool interactive, int logInterval = 2, TimeSpan? redraw = null, long? stepsPerEpoch = 3)
    {
        var writer = new StringWriter { NewLine = "\n" };
        var time = new ManualTime();
        var reporter = new ProgressReporter(writer, interactive, logInterval, time) { RedrawInterval = redraw ?? TimeSpan.FromSeconds(1) };
        var result = Trainer.Fit(new FakeModel(), Dataset.FromArray(new[] { 1, 2, 3 }), _ =>
        {
            time.Advance(TimeSpan.FromSeconds(0.5));
            return 0.5f;
        }, new FitOptions { Epochs = 2, Progress = reporter, HandleCtrlC = false, StepsPerEpoch = stepsPerEpoch });
        return (writer.ToString(), result);
    }

    [Fact]
    public void Redirected_PrintsPlainLinesEveryLogInterval()
    {
        var (output, _) = Train(interactive: false);
        Assert.DoesNotContain('\r', output);
        Assert.Equal(
            [
                "epoch 1/2  step 2/6  loss 0.5  2.0 steps/s  ETA 0:02",
                "epoch 1/2 done: 3 steps, mean loss 0.5",
                "epoch 2/2  step 4/6  loss 0.5  2.0 steps/s  ETA 0:01",
                "epoch 2/2  step 6/6  loss 0.5  2.0 steps/s  ETA 0:00",
                "epoch 2/2 done: 3 steps, mean loss 0.5",
                "finished: 6 steps in 0:03 (2.0 steps/s), loss 0.5, global step 6",
            ],
            output.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void Redirected_WithoutAKnownTotal_LearnsItAfterTheFirstEpoch()
    {
        var (output, _) = Train(interactive: false, logInterval: 1, stepsPerEpoch: null);
        var lines = output.Split('\n');
        Assert.Equal("epoch 1/2  step 1  loss 0.5  2.0 steps/s", lines[0]);
        Assert.Contains("epoch 2/2  step 4/6  loss 0.5  2.0 steps/s  ETA 0:01", lines);
    }

    [Fact]
    public void Interactive_RedrawsOneLineInPlace_Throttled()
    {
        var (output, _) = Train(interactive: true);
        var lines = output.TrimEnd('\n').Split('\n');
        // One line per epoch (its bar, overwritten in the end by its summary), then the run summary.
        Assert.Equal(3, lines.Length);
        var draws = lines[0].Split('\r', StringSplitOptions.RemoveEmptyEntries);
        // Drawn at step 1 and at step 3 (1 s later); step 2 fell within the redraw interval.
        Assert.Equal(3, draws.Length);
        Assert.Equal("epoch 1/2 [====....................]  step 1/6  loss 0.5  2.0 steps/s  ETA 0:02", draws[0]);
        Assert.Equal("epoch 1/2 [============............]  step 3/6  loss 0.5  2.0 steps/s  ETA 0:02", draws[1]);
        // The summary is padded with spaces to wipe the longer bar it replaces.
        Assert.Equal("epoch 1/2 done: 3 steps, mean loss 0.5", draws[2].TrimEnd(' '));
        Assert.Equal(draws[1].Length, draws[2].Length);
        var secondEpoch = lines[1].Split('\r', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("epoch 2/2 [================........]  step 4/6  loss 0.5  2.0 steps/s  ETA 0:01", secondEpoch[0]);
        Assert.Equal("epoch 2/2 [========================]  step 6/6  loss 0.5  2.0 steps/s  ETA 0:00", secondEpoch[1]);
        Assert.Equal("epoch 2/2 done: 3 steps, mean loss 0.5", secondEpoch[2].TrimEnd(' '));
        Assert.Equal("finished: 6 steps in 0:03 (2.0 steps/s), loss 0.5, global step 6", lines[2]);
    }

    [Fact]
    public void Interrupt_IsReportedOnItsOwnLine()
    {
        var writer = new StringWriter { NewLine = "\n" };
        using var cts = new CancellationTokenSource();
        var reporter = new ProgressReporter(writer, interactive: true, timeProvider: new ManualTime());
        Trainer.Fit(new FakeModel(), Dataset.FromArray(new[] { 1, 2, 3 }), _ =>
        {
            cts.Cancel();
            return 1f;
        }, new FitOptions { Progress = reporter, HandleCtrlC = false, CancellationToken = cts.Token });
        var lines = writer.ToString().TrimEnd('\n').Split('\n');
        Assert.Equal("\repoch 1/1  step 1  loss 1", lines[0]);
        Assert.Equal("interrupted after global step 1", lines[1]);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("finished: 1 steps in 0:00, loss 1, global step 1", lines[^1]);
        Assert.EndsWith(", interrupted", lines[^1]);
    }

    [Fact]
    public void AStepThatThrows_LeavesTheTerminalOnAFreshLine()
    {
        var writer = new StringWriter { NewLine = "\n" };
        var reporter = new ProgressReporter(writer, interactive: true, timeProvider: new ManualTime());
        int step = 0;
        Assert.Throws<InvalidOperationException>(() => Trainer.Fit(new FakeModel(), Dataset.FromArray(new[] { 1, 2 }), _ =>
            ++step == 2 ? throw new InvalidOperationException("boom") : 1f,
            new FitOptions { Progress = reporter, HandleCtrlC = false }));
        Assert.EndsWith("\n", writer.ToString());
    }

    [Fact]
    public void SmoothedLoss_IsABiasCorrectedMovingAverage()
    {
        var writer = new StringWriter();
        var reporter = new ProgressReporter(writer, interactive: false, logInterval: 1000, timeProvider: new ManualTime());
        float[] losses = [4f, 2f];
        int i = 0;
        Trainer.Fit(new FakeModel(), Dataset.FromArray(new[] { 0, 1 }), _ => losses[i++], new FitOptions { Progress = reporter, HandleCtrlC = false });
        // (0.09·4 + 0.1·2) / (1 − 0.81)
        Assert.Equal((0.09f * 4 + 0.1f * 2) / 0.19f, reporter.SmoothedLoss, 5);
    }
}
