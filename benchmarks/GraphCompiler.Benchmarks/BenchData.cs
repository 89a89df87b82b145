namespace GraphCompiler.Benchmarks;

/// <summary>Deterministic inputs for the benchmarks (values only matter for staying finite).</summary>
public static class BenchData
{
    /// <summary><paramref name="count"/> samples of N(0, <paramref name="stddev"/>²) from a fixed seed.</summary>
    public static float[] Normal(int count, int seed, float stddev = 1f)
    {
        var random = new Random(seed);
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            // Box–Muller; 1 − NextDouble() is in (0, 1], so the logarithm is finite.
            double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
            values[i] = (float)(stddev * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2));
        }
        return values;
    }

    /// <summary><paramref name="count"/> integers uniform in <c>[0, classes)</c> from a fixed seed.</summary>
    public static int[] Labels(int count, int classes, int seed)
    {
        var random = new Random(seed);
        var labels = new int[count];
        for (int i = 0; i < count; i++) labels[i] = random.Next(classes);
        return labels;
    }
}
