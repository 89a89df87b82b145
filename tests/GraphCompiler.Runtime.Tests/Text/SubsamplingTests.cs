using GraphCompiler.Runtime.Text;

namespace GraphCompiler.Runtime.Tests.Text;

public class SubsamplingTests
{
    // Shares f = 0.9, 0.09, 0.01 with t = 0.01.
    private static readonly long[] Counts = [0, 900, 90, 10];

    [Fact]
    public void Keep_probability_is_word2vec_formula()
    {
        var subsampling = new Subsampling(Counts, threshold: 0.01);
        Assert.Equal(1.0, subsampling.KeepProbability(0));                                   // never seen
        Assert.Equal(Math.Sqrt(0.01 / 0.9) + 0.01 / 0.9, subsampling.KeepProbability(1), 12); // 0.11652
        Assert.Equal(Math.Sqrt(1.0 / 9) + 1.0 / 9, subsampling.KeepProbability(2), 12);       // 0.44444
        Assert.Equal(1.0, subsampling.KeepProbability(3));                                   // f = t: capped at 1
    }

    [Fact]
    public void Same_seed_same_output_other_seed_other_output()
    {
        var subsampling = new Subsampling(Counts, threshold: 0.01);
        var ids = Stream(10_000);
        var first = subsampling.Apply(ids, seed: 7).ToList();
        Assert.Equal(first, subsampling.Apply(ids, seed: 7).ToList());
        Assert.NotEqual(first, subsampling.Apply(ids, seed: 8).ToList());
    }

    [Fact]
    public void Frequent_words_are_dropped_more_at_the_expected_rates()
    {
        var subsampling = new Subsampling(Counts, threshold: 0.01);
        var ids = Stream(100_000);
        var kept = subsampling.Apply(ids, seed: 1).ToList();
        // Order is preserved: the output is a subsequence of the input.
        Assert.True(IsSubsequence(kept, ids));
        for (int id = 1; id <= 3; id++)
        {
            double rate = (double)kept.Count(k => k == id) / ids.Count(k => k == id);
            // Binomial: 4 standard deviations of the rate for the smallest word (10,000 draws).
            Assert.InRange(rate, subsampling.KeepProbability(id) - 0.02, subsampling.KeepProbability(id) + 0.02);
        }
        Assert.Equal(ids.Count(k => k == 3), kept.Count(k => k == 3));
    }

    [Fact]
    public void Ids_outside_the_counts_are_rejected_with_their_position()
    {
        var subsampling = new Subsampling(Counts, threshold: 0.01);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => subsampling.Apply([1, 2, 9], seed: 0).ToList());
        Assert.Contains("position 2", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Subsampling(Counts, threshold: 0));
        Assert.Throws<ArgumentException>(() => new Subsampling([1, -1], threshold: 0.1));
    }

    // The ids 1, 2, 3 in the proportions of Counts, interleaved.
    private static int[] Stream(int length) =>
        Enumerable.Range(0, length).Select(i => (i % 100) switch { < 90 => 1, < 99 => 2, _ => 3 }).ToArray();

    private static bool IsSubsequence(List<int> sub, int[] sequence)
    {
        int at = 0;
        foreach (var value in sequence)
            if (at < sub.Count && sub[at] == value) at++;
        return at == sub.Count;
    }
}
