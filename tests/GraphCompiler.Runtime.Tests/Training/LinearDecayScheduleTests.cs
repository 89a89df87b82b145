using GraphCompiler.Runtime.Training;

namespace GraphCompiler.Runtime.Tests.Training;

/// <summary>BERT's schedule: linear warm-up over WarmupSteps, then lr·max(0, 1 − step/DecaySteps).</summary>
public class LinearDecayScheduleTests
{
    private static float Rate(long step, int warmup, int decay) =>
        StepScalars.Schedule(2f, step, StepScalars.LinearDecay, decay, 0, false, [], [], 0, warmup);

    [Theory]
    [InlineData(0, 10, 100)]
    [InlineData(9, 10, 100)]
    [InlineData(10, 10, 100)]
    [InlineData(57, 10, 100)]
    [InlineData(99, 10, 100)]
    [InlineData(100, 10, 100)]
    [InlineData(250, 10, 100)]
    [InlineData(0, 0, 7)]
    [InlineData(3, 0, 7)]
    [InlineData(0, 1, 1)]
    public void FollowsTheFormula(long step, int warmup, int decay)
    {
        double expected = step < warmup ? 2.0 * (step + 1) / warmup : 2.0 * Math.Max(0, 1 - (double)step / decay);
        Assert.Equal(expected, Rate(step, warmup, decay), 6);
    }

    [Fact]
    public void WarmsUpToTheFullRateAndEndsAtZero()
    {
        Assert.Equal(2f, Rate(9, 10, 100), 6);                          // the last warm-up step reaches lr
        Assert.Equal(2f * 0.9f, Rate(10, 10, 100), 6);                   // then the decayed rate takes over
        Assert.Equal(0f, Rate(100, 10, 100));
        Assert.True(Enumerable.Range(10, 90).All(s => Rate(s + 1, 10, 100) < Rate(s, 10, 100)), "decreasing after the warm-up");
    }

    [Fact]
    public void TheRunTimeScheduleIsTheCompiledOne()
    {
        var schedule = LearningRateSchedule.LinearDecay(2f, decaySteps: 100, warmupSteps: 10);
        foreach (long step in new long[] { 0, 5, 9, 10, 57, 99, 100, 250 })
            Assert.Equal(Rate(step, 10, 100), schedule.ValueAt(step));
        Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.LinearDecay(1f, decaySteps: 0));
    }
}
