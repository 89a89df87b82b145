using GraphCompiler.Runtime.Training;

namespace GraphCompiler.Runtime.Tests.Training;

public class StepScalarsTests
{
    [Fact]
    public void ExponentialDecayContinuousAndStaircase()
    {
        Assert.Equal(1f * MathF.Pow(0.5f, 1.5f), StepScalars.Schedule(1f, 3, StepScalars.ExponentialDecay, 2, 0.5f, false, [], [], 0, 0), 6);
        Assert.Equal(0.5f, StepScalars.Schedule(1f, 3, StepScalars.ExponentialDecay, 2, 0.5f, true, [], [], 0, 0), 6);
    }

    [Fact]
    public void PiecewiseConstantUsesTheValueOfTheIntervalAsTensorFlowDoes()
    {
        int[] boundaries = [10, 20];
        float[] values = [1f, 0.5f, 0.1f];
        Assert.Equal(1f, StepScalars.Schedule(1f, 10, StepScalars.PiecewiseConstant, 0, 0, false, boundaries, values, 0, 0));
        Assert.Equal(0.5f, StepScalars.Schedule(1f, 11, StepScalars.PiecewiseConstant, 0, 0, false, boundaries, values, 0, 0));
        Assert.Equal(0.1f, StepScalars.Schedule(1f, 21, StepScalars.PiecewiseConstant, 0, 0, false, boundaries, values, 0, 0));
    }

    [Fact]
    public void CosineDecayEndsAtAlpha()
    {
        Assert.Equal(1f, StepScalars.Schedule(1f, 0, StepScalars.CosineDecay, 100, 0, false, [], [], 0.1f, 0), 6);
        Assert.Equal(0.55f, StepScalars.Schedule(1f, 50, StepScalars.CosineDecay, 100, 0, false, [], [], 0.1f, 0), 6);
        Assert.Equal(0.1f, StepScalars.Schedule(1f, 500, StepScalars.CosineDecay, 100, 0, false, [], [], 0.1f, 0), 6);
    }

    [Fact]
    public void LinearWarmupRampsUp()
    {
        Assert.Equal(0.25f, StepScalars.Schedule(1f, 0, StepScalars.Constant, 0, 0, false, [], [], 0, 4), 6);
        Assert.Equal(1f, StepScalars.Schedule(1f, 3, StepScalars.Constant, 0, 0, false, [], [], 0, 4), 6);
        Assert.Equal(1f, StepScalars.Schedule(1f, 10, StepScalars.Constant, 0, 0, false, [], [], 0, 4), 6);
    }

    [Fact]
    public void AdamStepSizeMatchesTensorFlowsFirstSteps()
    {
        Assert.Equal(0.001 * Math.Sqrt(1 - 0.999) / (1 - 0.9), StepScalars.AdamStepSize(0.001f, 0, 0.9, 0.999), 6);
        Assert.Equal(0.001 * Math.Sqrt(1 - 0.999 * 0.999) / (1 - 0.81), StepScalars.AdamStepSize(0.001f, 1, 0.9, 0.999), 6);
    }
}
