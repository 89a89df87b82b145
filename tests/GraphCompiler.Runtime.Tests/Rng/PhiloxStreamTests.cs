using GraphCompiler.Compiler.Random;
using GraphCompiler.Runtime.Kernels;
using GraphCompiler.Runtime.Rng;

namespace GraphCompiler.Runtime.Tests.Rng;

public class PhiloxStreamTests
{
    private const int N = 100_000;

    private static (double Mean, double Variance) Moments(float[] values)
    {
        double mean = values.Average(v => (double)v);
        double variance = values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1);
        return (mean, variance);
    }

    private static ulong SplitMix64Finaliser(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    [Fact]
    public void Values_follow_the_documented_key_and_counter_layout()
    {
        ulong seed = 5, opSeed = 9, step = 0x1_0000_0003UL;
        var stream = new PhiloxStream(seed, opSeed, step);

        // Key = Mix(seed ^ Mix(opSeed + gamma)), low half first.
        ulong key = SplitMix64Finaliser(seed ^ SplitMix64Finaliser(opSeed + 0x9E3779B97F4A7C15UL));
        Assert.Equal(((uint)key, (uint)(key >> 32)), stream.Key);

        // Value i = word i mod 4 of the block at counter (b lo, b hi, step lo, step hi), b = i / 4.
        foreach (long i in new long[] { 0, 1, 2, 3, 4, 11, 0x5_0000_0002L })
        {
            ulong b = (ulong)i / 4;
            var block = Philox4x32.Compute((uint)b, (uint)(b >> 32), (uint)step, (uint)(step >> 32), (uint)key, (uint)(key >> 32));
            uint word = stream.NextUInt32(i);
            Assert.Equal(block[(int)(i % 4)], word);
            Assert.Equal((word >> 8) / 16777216f, stream.Uniform(i));
        }
    }

    [Fact]
    public void Different_seeds_op_seeds_and_steps_give_different_streams()
    {
        var baseline = new float[64];
        new PhiloxStream(1, 2, 3).FillUniform(baseline, 0, 1);
        foreach (var other in new[] { new PhiloxStream(2, 2, 3), new PhiloxStream(1, 3, 3), new PhiloxStream(1, 2, 4), new PhiloxStream(2, 1, 3) })
        {
            var values = new float[64];
            other.FillUniform(values, 0, 1);
            Assert.NotEqual(baseline, values);
        }
    }

    [Fact]
    public void Uniform_statistics_and_bounds()
    {
        var values = new float[N];
        new PhiloxStream(42, 7).FillUniform(values, -2f, 3f);
        Assert.All(values, v => Assert.True(v >= -2f && v < 3f, $"{v} outside [-2, 3)"));
        var (mean, variance) = Moments(values);
        // Mean 0.5, variance 25/12; tolerances are several standard errors.
        Assert.InRange(mean, 0.5 - 0.03, 0.5 + 0.03);
        Assert.InRange(variance, 25.0 / 12 - 0.04, 25.0 / 12 + 0.04);
    }

    [Fact]
    public void Uniform_stays_below_max_even_when_rounding_would_reach_it()
    {
        // With min = 1, max = 1 + 2^-23 the upper half of [0,1) rounds to max; it must be kept below.
        var values = new float[4096];
        float max = MathF.BitIncrement(1f);
        new PhiloxStream(3, 3).FillUniform(values, 1f, max);
        Assert.All(values, v => Assert.True(v >= 1f && v < max));
    }

    [Fact]
    public void Normal_statistics()
    {
        var values = new float[N];
        new PhiloxStream(42, 8).FillNormal(values, 1.5f, 2f);
        var (mean, variance) = Moments(values);
        Assert.InRange(mean, 1.5 - 0.03, 1.5 + 0.03);
        Assert.InRange(variance, 4.0 - 0.08, 4.0 + 0.08);
        // Tails: about 4.55% beyond 2 sigma.
        double beyond = values.Count(v => Math.Abs(v - 1.5f) > 4f) / (double)N;
        Assert.InRange(beyond, 0.040, 0.051);
    }

    [Fact]
    public void Truncated_normal_stays_within_two_sigma_with_the_truncated_variance()
    {
        var values = new float[N];
        new PhiloxStream(42, 9).FillTruncatedNormal(values, -1f, 0.5f);
        Assert.All(values, v => Assert.True(v > -2f && v < 0f, $"{v} outside (-2, 0)"));
        var (mean, variance) = Moments(values);
        Assert.InRange(mean, -1 - 0.01, -1 + 0.01);
        // A standard normal truncated to (-2, 2) has variance 0.7737; times 0.25.
        Assert.InRange(variance, 0.25 * 0.7737 - 0.006, 0.25 * 0.7737 + 0.006);
    }

    [Fact]
    public void Bernoulli_keeps_the_requested_fraction()
    {
        var mask = new float[N];
        new PhiloxStream(1, 1).FillBernoulli(mask, 0.8f);
        Assert.All(mask, v => Assert.True(v == 0f || v == 1f));
        Assert.InRange(mask.Average(), 0.8 - 0.006, 0.8 + 0.006);
        new PhiloxStream(1, 1).FillBernoulli(mask, 0f);
        Assert.All(mask, v => Assert.Equal(0f, v));
        new PhiloxStream(1, 1).FillBernoulli(mask, 1f);
        Assert.All(mask, v => Assert.Equal(1f, v));
    }

    public static TheoryData<string> Kinds() => ["uniform", "normal", "truncated", "bernoulli"];

    private static void FillKind(string kind, PhiloxStream s, Span<float> dst, long offset)
    {
        switch (kind)
        {
            case "uniform": s.FillUniform(dst, -1f, 1f, offset); break;
            case "normal": s.FillNormal(dst, 0f, 1f, offset); break;
            case "truncated": s.FillTruncatedNormal(dst, 0f, 1f, offset); break;
            default: s.FillBernoulli(dst, 0.5f, offset); break;
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Chunked_fills_equal_one_whole_fill_at_any_alignment(string kind)
    {
        var stream = new PhiloxStream(11, 22, 33);
        var whole = new float[1001];
        FillKind(kind, stream, whole, 0);

        var chunked = new float[whole.Length];
        var rng = new System.Random(1);
        for (int start = 0; start < chunked.Length;)
        {
            int n = Math.Min(rng.Next(1, 10), chunked.Length - start);
            FillKind(kind, stream, chunked.AsSpan(start, n), start);
            start += n;
        }

        Assert.Equal(whole, chunked);

        var tail = new float[5];
        FillKind(kind, stream, tail, 997);
        Assert.Equal(whole[997..1001], tail[..4]);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Results_do_not_depend_on_the_thread_count(string kind)
    {
        var stream = new PhiloxStream(5, 6);
        int n = PhiloxStream.ParallelThreshold * 3 + 7; // large enough for the parallel path
        var pooled = new float[n];
        var single = new float[n];
        FillKind(kind, stream, pooled, 3);
        using (KernelParallel.LimitDegree(1)) FillKind(kind, stream, single, 3);
        Assert.Equal(single, pooled);

        // And split by hand across explicit threads.
        var manual = new float[n];
        var threads = Enumerable.Range(0, 3).Select(t => new Thread(() =>
        {
            int part = n / 3, start = t * part, len = t == 2 ? n - start : part;
            FillKind(kind, stream, manual.AsSpan(start, len), 3 + start);
        })).ToList();
        threads.ForEach(th => th.Start());
        threads.ForEach(th => th.Join());
        Assert.Equal(single, manual);
    }

    [Fact]
    public void Invalid_arguments_are_rejected()
    {
        var s = new PhiloxStream(1, 1);
        Assert.Throws<ArgumentException>(() => s.FillUniform(new float[1], 2f, 1f));
        Assert.Throws<ArgumentException>(() => s.FillUniform(new float[1], float.NegativeInfinity, 1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => s.FillNormal(new float[1], 0f, -1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => s.FillBernoulli(new float[1], 1.5f));
        Assert.Throws<ArgumentOutOfRangeException>(() => s.FillUniform(new float[1], 0f, 1f, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => s.NextUInt32(-5));
    }
}
