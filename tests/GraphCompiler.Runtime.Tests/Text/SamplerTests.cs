using GraphCompiler.Runtime.Text;

namespace GraphCompiler.Runtime.Tests.Text;

public class NegativeSamplerTests
{
    [Fact]
    public void Probabilities_are_counts_to_the_three_quarters_normalised()
    {
        // 16^0.75 = 8, 81^0.75 = 27, 1^0.75 = 1: total 36.
        var sampler = new NegativeSampler([0, 16, 81, 1], seed: 1);
        Assert.Equal(0.0, sampler.Probability(0));
        Assert.Equal(8.0 / 36, sampler.Probability(1), 12);
        Assert.Equal(27.0 / 36, sampler.Probability(2), 12);
        Assert.Equal(1.0 / 36, sampler.Probability(3), 12);

        var plain = new NegativeSampler([0, 16, 81, 1], seed: 1, power: 1);
        Assert.Equal(81.0 / 98, plain.Probability(2), 12);
    }

    [Fact]
    public void Draws_follow_the_distribution()
    {
        var sampler = new NegativeSampler([0, 16, 81, 1], seed: 2);
        var draws = new int[200_000];
        sampler.Fill(draws);
        var observed = Histogram(draws, 4);
        Assert.Equal(0, observed[0]); // zero count: never drawn
        // Chi-square with 2 degrees of freedom; 20 is far beyond p = 0.001 (13.8).
        Assert.InRange(ChiSquare(observed, i => sampler.Probability(i), draws.Length), 0, 20);
    }

    [Fact]
    public void Draws_follow_a_zipfian_vocabulary()
    {
        var counts = Enumerable.Range(1, 1_000).Select(rank => (long)(1_000_000 / rank)).ToArray();
        var sampler = new NegativeSampler(counts, seed: 3);
        var draws = new int[1_000_000];
        sampler.Fill(draws);
        // 999 degrees of freedom: mean 999, σ ≈ 45; 1,200 is 4.5 σ out.
        Assert.InRange(ChiSquare(Histogram(draws, counts.Length), i => sampler.Probability(i), draws.Length), 0, 1_200);
    }

    [Fact]
    public void A_reseeded_sampler_draws_what_a_new_one_with_that_seed_draws()
    {
        long[] counts = [.. Enumerable.Range(1, 300).Select(rank => (long)(30_000 / rank))];
        var shared = new NegativeSampler(counts, seed: 0);
        int[] fresh = new int[5_000], reseeded = new int[5_000];
        foreach (ulong seed in new ulong[] { 1, 77, ulong.MaxValue })
        {
            new NegativeSampler(counts, seed).Fill(fresh);
            shared.WithSeed(seed).Fill(reseeded);
            Assert.Equal(fresh, reseeded);
        }
        // The original's own stream is untouched by its reseeded copies.
        shared.Fill(reseeded);
        new NegativeSampler(counts, seed: 0).Fill(fresh);
        Assert.Equal(fresh, reseeded);
    }

    [Fact]
    public void Same_seed_same_draws()
    {
        int[] first = new int[100], second = new int[100], other = new int[100];
        new NegativeSampler([5, 4, 3, 2, 1], seed: 9).Fill(first);
        new NegativeSampler([5, 4, 3, 2, 1], seed: 9).Fill(second);
        new NegativeSampler([5, 4, 3, 2, 1], seed: 10).Fill(other);
        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void Bad_counts_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => new NegativeSampler([], seed: 0));
        Assert.Throws<ArgumentException>(() => new NegativeSampler([0, 0], seed: 0));
        var e = Assert.Throws<ArgumentException>(() => new NegativeSampler([3, -1], seed: 0));
        Assert.Contains("id 1", e.Message);
    }

    internal static long[] Histogram(int[] draws, int range)
    {
        var histogram = new long[range];
        foreach (var d in draws) histogram[d]++;
        return histogram;
    }

    internal static double ChiSquare(long[] observed, Func<int, double> probability, int total)
    {
        double chi = 0;
        for (int i = 0; i < observed.Length; i++)
        {
            double expected = probability(i) * total;
            if (expected > 0) chi += (observed[i] - expected) * (observed[i] - expected) / expected;
        }
        return chi;
    }
}

public class LogUniformSamplerTests
{
    [Fact]
    public void Probability_matches_the_formula_by_hand()
    {
        var sampler = new LogUniformSampler(rangeMax: 10, seed: 0);
        // (log(k+2) − log(k+1)) / log(11)
        Assert.Equal(0.2890648263178878, sampler.Probability(0), 14);  // log 2 / log 11
        Assert.Equal(0.07603399483797442, sampler.Probability(4), 14); // log 1.2 / log 11
        Assert.Equal(0.039747432210872534, sampler.Probability(9), 14); // log 1.1 / log 11
        Assert.Equal(1.0, Enumerable.Range(0, 10).Sum(sampler.Probability), 12); // telescoping sum
        Assert.Throws<ArgumentOutOfRangeException>(() => sampler.Probability(10));
    }

    [Fact]
    public void Draws_follow_the_distribution()
    {
        var sampler = new LogUniformSampler(rangeMax: 50, seed: 4);
        var draws = new int[500_000];
        sampler.Sample(draws);
        Assert.InRange(draws.Min(), 0, 49);
        Assert.InRange(draws.Max(), 0, 49);
        // 49 degrees of freedom: p = 0.001 at 85.4.
        Assert.InRange(NegativeSamplerTests.ChiSquare(NegativeSamplerTests.Histogram(draws, 50), sampler.Probability, draws.Length), 0, 90);
    }

    [Fact]
    public void Expected_count_with_replacement_is_n_times_p()
    {
        var sampler = new LogUniformSampler(rangeMax: 10, seed: 0);
        Assert.Equal(64 * 0.2890648263178878, sampler.ExpectedCount(0, numSampled: 64, numTries: 64), 12);
    }

    [Fact]
    public void Expected_count_of_a_unique_sample_is_one_minus_miss_probability()
    {
        var sampler = new LogUniformSampler(rangeMax: 10, seed: 0);
        double p = 0.2890648263178878;
        Assert.Equal(1 - Math.Pow(1 - p, 7), sampler.ExpectedCount(0, numSampled: 5, numTries: 7), 12);

        // For a tiny p, 1 − (1 − p)^n computed naively loses most digits; the result must not.
        var large = new LogUniformSampler(rangeMax: 1_000_000, seed: 0);
        double tiny = 7.238237221419644e-08; // log(1000001/1000000) / log(1000001)
        Assert.True(Math.Abs(large.Probability(999_999) - tiny) < 1e-12 * tiny);
        double expected = 1.4476473918918507e-07; // 2p − p²
        Assert.True(Math.Abs(large.ExpectedCount(999_999, numSampled: 1, numTries: 2) - expected) < 1e-12 * expected);
    }

    [Fact]
    public void Unique_samples_are_distinct_and_report_their_tries()
    {
        var sampler = new LogUniformSampler(rangeMax: 20, seed: 6);
        var ids = new int[15];
        int tries = sampler.SampleUnique(ids);
        Assert.Equal(15, ids.Distinct().Count());
        Assert.True(tries >= 15);

        var again = new int[15];
        Assert.Equal(tries, new LogUniformSampler(rangeMax: 20, seed: 6).SampleUnique(again));
        Assert.Equal(ids, again);

        Assert.Throws<ArgumentException>(() => sampler.SampleUnique(new int[21]));
        Assert.Throws<ArgumentOutOfRangeException>(() => sampler.ExpectedCount(0, numSampled: 5, numTries: 4));
    }
}
