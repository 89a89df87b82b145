using GraphCompiler.Runtime.Data;
using GraphCompiler.Runtime.Training;

namespace GraphCompiler.Runtime.Tests.Training;

public class CallbackTests
{
    private static Dataset<int> Range(int n) => Dataset.FromArray(Enumerable.Range(0, n).ToArray());

    private static FitOptions Options(int? epochs, params ITrainingCallback[] callbacks) =>
        new() { Epochs = epochs, LogInterval = 0, HandleCtrlC = false, Callbacks = callbacks };

    [Fact]
    public void EarlyStopping_StopsAfterPatienceEpochsWithoutImprovement()
    {
        float[] validation = [5f, 4f, 4.5f, 4.2f, 3f, 2f];
        int evaluations = 0;
        var early = new EarlyStopping(() => validation[evaluations++], patience: 2);
        var result = Trainer.Fit(new FakeModel(), Range(3), _ => 0f, Options(10, early));
        Assert.Equal(4, evaluations);
        Assert.Equal(4, result.Epochs.Count);
        Assert.Same(early, result.StoppedBy);
        Assert.Equal(4f, early.BestValue);
        Assert.Equal(6, early.BestStep);
        Assert.Equal(12, early.StoppedAtStep);
    }

    [Fact]
    public void EarlyStopping_MinDelta_SmallGainsDoNotCount_AndMaxModeWantsLarger()
    {
        float[] accuracy = [0.50f, 0.505f, 0.509f, 0.7f];
        int i = 0;
        var early = new EarlyStopping(() => accuracy[i++], patience: 2, minDelta: 0.01f, mode: MetricMode.Max);
        var result = Trainer.Fit(new FakeModel(), Range(1), _ => 0f, Options(10, early));
        Assert.Equal(3, result.Steps);
        Assert.Equal(0.5f, early.BestValue);

        float[] improving = [0.1f, 0.2f, 0.3f];
        int j = 0;
        var patient = new EarlyStopping(() => improving[j++], patience: 1, mode: MetricMode.Max);
        Assert.False(Trainer.Fit(new FakeModel(), Range(1), _ => 0f, Options(3, patient)).StoppedEarly);
    }

    [Fact]
    public void EarlyStopping_EveryNSteps_EvaluatesOnTheGlobalStep_AndNaNNeverImproves()
    {
        var evaluatedAt = new List<long>();
        var model = new FakeModel();
        var early = new EarlyStopping(() =>
        {
            evaluatedAt.Add(model.GlobalStep);
            return evaluatedAt.Count == 1 ? 1f : float.NaN;
        }, patience: 2, evaluateEverySteps: 4);
        var result = Trainer.Fit(model, Range(100).Repeat(), _ => 0f, new FitOptions { MaxSteps = 100, LogInterval = 0, HandleCtrlC = false, Callbacks = [early] });
        Assert.Equal([4L, 8, 12], evaluatedAt);
        Assert.Equal(12, result.Steps);
        Assert.Equal(1f, early.BestValue);
    }

    [Fact]
    public void LearningRateSchedule_EveryStepSeesTheRateForItsGlobalStep()
    {
        var schedule = new LearningRateSchedule(step => 1f / (step + 1));
        var model = new FakeModel { GlobalStep = 10 };
        var rates = new List<(long Step, float Rate)>();
        Trainer.Fit(model, Range(5), _ =>
        {
            rates.Add((model.GlobalStep, schedule.LearningRate));
            return 0f;
        }, Options(2, schedule));
        Assert.Equal(10, rates.Count);
        Assert.All(rates, r => Assert.Equal(1f / (r.Step + 1), r.Rate));
        Assert.Equal(10, rates[0].Step);
        Assert.Equal(1f / 21, schedule.LearningRate);
    }

    [Fact]
    public void LearningRateSchedule_Builtins_MatchTensorFlow()
    {
        var decay = LearningRateSchedule.ExponentialDecay(0.1f, decaySteps: 100, decayRate: 0.5f);
        Assert.Equal(0.1f, decay.ValueAt(0));
        Assert.Equal(0.05f, decay.ValueAt(100), 6);
        Assert.Equal(0.1f * MathF.Pow(0.5f, 1.5f), decay.ValueAt(150), 6);
        var stairs = LearningRateSchedule.ExponentialDecay(0.1f, 100, 0.5f, staircase: true);
        Assert.Equal(0.05f, stairs.ValueAt(199), 6);

        var piecewise = LearningRateSchedule.PiecewiseConstant([100, 200], [1f, 0.5f, 0.1f]);
        Assert.Equal(1f, piecewise.ValueAt(100));
        Assert.Equal(0.5f, piecewise.ValueAt(101));
        Assert.Equal(0.5f, piecewise.ValueAt(200));
        Assert.Equal(0.1f, piecewise.ValueAt(201));
        Assert.Throws<ArgumentException>(() => LearningRateSchedule.PiecewiseConstant([100], [1f]));
        Assert.Throws<ArgumentException>(() => LearningRateSchedule.PiecewiseConstant([200, 100], [1f, 2f, 3f]));
        Assert.Equal(0.3f, LearningRateSchedule.Constant(0.3f).LearningRate);
    }

    [Fact]
    public void EveryNSteps_FiresOnMultiplesOfTheGlobalStep_AndOptionallyAtTheEnd()
    {
        var fired = new List<long>();
        var every = new EveryNSteps(4, fired.Add, runAtEnd: true);
        Trainer.Fit(new FakeModel { GlobalStep = 2 }, Range(9), _ => 0f, Options(1, every));
        Assert.Equal([4L, 8, 11], fired);

        fired.Clear();
        Trainer.Fit(new FakeModel(), Range(8), _ => 0f, Options(1, every));
        Assert.Equal([4L, 8], fired);

        var noEnd = new List<long>();
        Trainer.Fit(new FakeModel(), Range(9), _ => 0f, Options(1, new EveryNSteps(4, noEnd.Add)));
        Assert.Equal([4L, 8], noEnd);
        Assert.Throws<ArgumentOutOfRangeException>(() => new EveryNSteps(0, _ => { }));
    }
}
