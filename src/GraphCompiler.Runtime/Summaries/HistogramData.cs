namespace GraphCompiler.Runtime.Summaries;

/// <summary>
/// A histogram as TensorBoard's <c>HistogramProto</c> holds it: min, max, count, sum, sum of squares,
/// and buckets where bucket i counts values in [limit(i-1), limit(i)). Limits are strictly increasing
/// and the counts sum to <see cref="Num"/>.
/// </summary>
public sealed record HistogramData(
    double Min,
    double Max,
    double Num,
    double Sum,
    double SumSquares,
    IReadOnlyList<double> BucketLimits,
    IReadOnlyList<double> BucketCounts)
{
    /// <summary>
    /// TensorFlow's default bucket edges: ±1e-12 growing by a factor 1.1 up to 1e20, zero, and
    /// ±<see cref="double.MaxValue"/> at the ends — fine near zero, coarse far away, as weights need.
    /// </summary>
    internal static readonly double[] DefaultLimits = BuildDefaultLimits();

    /// <summary>
    /// Buckets <paramref name="values"/> on the default edges and drops empty buckets, folding each
    /// run of them into its last edge (so the chart keeps the gaps). Throws for NaN or infinity, as
    /// <c>tf.summary.histogram</c> does, since such a histogram would mean nothing.
    /// </summary>
    public static HistogramData FromValues(ReadOnlySpan<double> values)
    {
        var counts = new double[DefaultLimits.Length];
        double min = double.MaxValue, max = double.MinValue, sum = 0, sumSquares = 0;
        for (int i = 0; i < values.Length; i++)
        {
            double v = values[i];
            if (!double.IsFinite(v))
                throw new ArgumentException($"value {i} is {v}; a histogram needs finite values", nameof(values));
            min = Math.Min(min, v);
            max = Math.Max(max, v);
            sum += v;
            sumSquares += v * v;
            counts[BucketOf(v)]++;
        }
        if (values.Length == 0)
            return new HistogramData(0, 0, 0, 0, 0, [], []);

        var limits = new List<double>();
        var kept = new List<double>();
        for (int i = 0; i < counts.Length; i++)
        {
            if (counts[i] == 0)
            {
                while (i + 1 < counts.Length && counts[i + 1] == 0) i++;
            }
            limits.Add(DefaultLimits[i]);
            kept.Add(counts[i]);
        }
        return new HistogramData(min, max, values.Length, sum, sumSquares, limits, kept);
    }

    // The first bucket whose upper edge is above v; values at the very top fall into the last one.
    private static int BucketOf(double v)
    {
        int index = Array.BinarySearch(DefaultLimits, v);
        index = index >= 0 ? index + 1 : ~index;
        return Math.Min(index, DefaultLimits.Length - 1);
    }

    private static double[] BuildDefaultLimits()
    {
        var positive = new List<double>();
        for (double v = 1e-12; v < 1e20; v *= 1.1) positive.Add(v);
        positive.Add(double.MaxValue);
        var limits = new List<double>(positive.Count * 2 + 1);
        for (int i = positive.Count - 1; i >= 0; i--) limits.Add(-positive[i]);
        limits.Add(0);
        limits.AddRange(positive);
        return limits.ToArray();
    }
}
