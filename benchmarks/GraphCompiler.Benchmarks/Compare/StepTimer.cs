using System.Diagnostics;

namespace GraphCompiler.Benchmarks.Compare;

/// <summary>
/// Median time per step by Stopwatch: warm up (so the JIT reaches its optimised tier), pick how many
/// steps one sample runs so that a sample is long enough for the timer, then take the median over
/// samples. The same procedure as <c>pytorch_reference.py</c>, so both sides are measured alike.
/// </summary>
public static class StepTimer
{
    /// <summary>How long to warm up before timing.</summary>
    public static readonly TimeSpan Warmup = TimeSpan.FromSeconds(1);

    /// <summary>The shortest sample: much longer than the timer's resolution and a few scheduler ticks apart.</summary>
    public static readonly TimeSpan MinSample = TimeSpan.FromMilliseconds(5);

    /// <summary>
    /// The median, in microseconds, of one step's time over <paramref name="samples"/> samples, where
    /// <paramref name="runSteps"/> runs the given number of steps.
    /// </summary>
    public static double MedianMicroseconds(Action<int> runSteps, int samples)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(samples, 1);
        var clock = Stopwatch.StartNew();
        int warmupCalls = 0;
        while (clock.Elapsed < Warmup || warmupCalls < 3)
        {
            runSteps(1);
            warmupCalls++;
        }

        int steps = 1;
        while (Time(runSteps, steps) < MinSample.TotalSeconds && steps < (1 << 28)) steps *= 2;

        var perStep = new double[samples];
        for (int i = 0; i < samples; i++) perStep[i] = Time(runSteps, steps) / steps * 1e6;
        Array.Sort(perStep);
        return samples % 2 == 1 ? perStep[samples / 2] : (perStep[samples / 2 - 1] + perStep[samples / 2]) / 2;
    }

    private static double Time(Action<int> runSteps, int steps)
    {
        long start = Stopwatch.GetTimestamp();
        runSteps(steps);
        return Stopwatch.GetElapsedTime(start).TotalSeconds;
    }
}
