using GraphCompiler.Runtime.Summaries;

namespace GraphCompiler.Runtime.Tests.Summaries;

public sealed class HistogramDataTests
{
    public static TheoryData<double[]> Samples() => new()
    {
        new double[] { 0.5 },
        new double[] { 0, 0, 0 },
        new double[] { -3, -1e-13, 0, 1e-13, 2.5, 1e25, -1e25 },
        Enumerable.Range(0, 1000).Select(i => Math.Sin(i) * 10).ToArray(),
        new double[] { double.MaxValue, -double.MaxValue, 1 },
    };

    [Theory]
    [MemberData(nameof(Samples))]
    public void Invariants_hold(double[] values)
    {
        var h = HistogramData.FromValues(values);
        Assert.Equal(values.Min(), h.Min);
        Assert.Equal(values.Max(), h.Max);
        Assert.Equal(values.Length, h.Num);
        Assert.Equal(values.Sum(), h.Sum, 1e-9 * Math.Max(1, values.Sum(Math.Abs)));
        Assert.Equal(values.Length, h.BucketLimits.Count > 0 ? h.BucketCounts.Sum() : 0);
        Assert.Equal(h.BucketLimits.Count, h.BucketCounts.Count);
        for (int i = 1; i < h.BucketLimits.Count; i++) Assert.True(h.BucketLimits[i] > h.BucketLimits[i - 1], $"limit {i} does not increase");
        Assert.All(h.BucketCounts, c => Assert.True(c >= 0));
    }

    [Fact]
    public void Each_value_lands_in_the_bucket_whose_range_holds_it()
    {
        double[] values = [-2, -2, 0.3, 0.3, 0.3, 7];
        var h = HistogramData.FromValues(values);
        foreach (var v in values.Distinct())
        {
            int bucket = Enumerable.Range(0, h.BucketLimits.Count).First(i => h.BucketLimits[i] > v);
            Assert.True(bucket == 0 || h.BucketLimits[bucket - 1] <= v);
            Assert.Equal(values.Count(x => x == v), h.BucketCounts[bucket]);
        }
        Assert.Equal(4 + 4 + 3 * 0.09 + 49, h.SumSquares, 1e-9);
    }

    [Fact]
    public void Sum_of_squares_is_exact_for_simple_values()
    {
        var h = HistogramData.FromValues([1, -2, 3]);
        Assert.Equal(14, h.SumSquares);
        Assert.Equal(2, h.Sum);
    }

    [Fact]
    public void Empty_runs_collapse_into_single_zero_buckets()
    {
        var h = HistogramData.FromValues([1.0, 100.0]);
        // empty run, bucket of 1, empty run, bucket of 100, empty run up to double.MaxValue
        Assert.Equal([0, 1, 0, 1, 0], h.BucketCounts);
        Assert.Equal(double.MaxValue, h.BucketLimits[^1]);
    }

    [Fact]
    public void Default_edges_are_tensorflows()
    {
        var limits = HistogramData.DefaultLimits;
        Assert.Equal(-double.MaxValue, limits[0]);
        Assert.Equal(double.MaxValue, limits[^1]);
        int zero = Array.IndexOf(limits, 0.0);
        Assert.Equal(limits.Length / 2, zero);
        Assert.Equal(1e-12, limits[zero + 1]);
        Assert.Equal(1.1e-12, limits[zero + 2], 1e-25);
        Assert.True(limits[^2] < 1e20 && limits[^2] * 1.1 >= 1e20);
    }

    [Fact]
    public void Empty_input_gives_an_empty_histogram()
    {
        var h = HistogramData.FromValues([]);
        Assert.Equal(0, h.Num);
        Assert.Empty(h.BucketLimits);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Non_finite_values_are_refused(double bad)
    {
        var e = Assert.Throws<ArgumentException>(() => HistogramData.FromValues([1, bad]));
        Assert.Contains("value 1", e.Message);
    }
}
