using GraphCompiler.Runtime.Text;

namespace GraphCompiler.Runtime.Tests.Text;

public class SkipGramPairsTests
{
    [Fact]
    public void Window_one_pairs_every_neighbour()
    {
        var pairs = SkipGramPairs.Generate([10, 11, 12, 13], window: 1, seed: 3).ToList();
        Assert.Equal(
            [new(10, 11), new(11, 10), new(11, 12), new(12, 11), new(12, 13), new(13, 12)],
            pairs);
    }

    [Fact]
    public void Every_center_uses_one_symmetric_reach_within_the_window()
    {
        const int window = 5, length = 2_000;
        // Ids equal positions, so each pair tells its distance.
        var pairs = SkipGramPairs.Generate(Enumerable.Range(0, length), window, seed: 11).ToList();
        foreach (var group in pairs.GroupBy(p => p.Center))
        {
            int center = group.Key;
            var contexts = group.Select(p => p.Context).ToList();
            Assert.All(contexts, c => Assert.InRange(Math.Abs(c - center), 1, window));
            int reach = contexts.Max(c => Math.Abs(c - center));
            var expected = Enumerable.Range(center - reach, 2 * reach + 1)
                .Where(c => c != center && c >= 0 && c < length);
            Assert.Equal(expected, contexts); // contiguous, both sides, left to right
        }
        // Every center yields at least one pair.
        Assert.Equal(length, pairs.Select(p => p.Center).Distinct().Count());
    }

    [Fact]
    public void Reach_is_uniform_so_interior_centers_average_window_plus_one_pairs()
    {
        const int window = 4, length = 40_000;
        var pairs = SkipGramPairs.Generate(Enumerable.Range(0, length), window, seed: 5).ToList();
        var reaches = pairs.Where(p => p.Center >= window && p.Center < length - window)
            .GroupBy(p => p.Center)
            .Select(g => g.Max(p => Math.Abs(p.Context - p.Center)))
            .ToList();
        for (int r = 1; r <= window; r++)
        {
            double share = (double)reaches.Count(x => x == r) / reaches.Count;
            Assert.InRange(share, 0.25 - 0.01, 0.25 + 0.01); // ±4.6 σ for 40,000 centers
        }
        double pairsPerCenter = 2.0 * reaches.Average();
        Assert.InRange(pairsPerCenter, window + 1 - 0.05, window + 1 + 0.05);
    }

    [Fact]
    public void Expected_count_on_a_short_sequence()
    {
        // Length 5, window 2, reach 1 or 2 with probability ½: the expected number of contexts per
        // position is 1.5, 2.5, 3, 2.5, 1.5, i.e. 11 pairs in all.
        double mean = Enumerable.Range(0, 4_000)
            .Average(seed => SkipGramPairs.Generate([0, 1, 2, 3, 4], window: 2, seed: (ulong)seed).Count());
        Assert.InRange(mean, 11 - 0.1, 11 + 0.1); // σ of the mean ≈ 0.016
    }

    [Fact]
    public void Same_seed_same_pairs_other_seed_other_pairs()
    {
        var ids = Enumerable.Range(0, 500).Select(i => i % 37).ToArray();
        var first = SkipGramPairs.Generate(ids, window: 5, seed: 42).ToList();
        Assert.Equal(first, SkipGramPairs.Generate(ids, window: 5, seed: 42).ToList());
        Assert.NotEqual(first, SkipGramPairs.Generate(ids, window: 5, seed: 43).ToList());
    }

    [Fact]
    public void Pairs_stream_from_an_endless_input()
    {
        var pairs = SkipGramPairs.Generate(Endless(), window: 3, seed: 1).Take(1_000).ToList();
        Assert.Equal(1_000, pairs.Count);
        Assert.All(pairs, p => Assert.InRange(Math.Abs(p.Context - p.Center), 1, 3));

        static IEnumerable<int> Endless()
        {
            for (int i = 0; ; i++) yield return i;
        }
    }

    [Fact]
    public void Degenerate_inputs()
    {
        Assert.Empty(SkipGramPairs.Generate([], window: 2, seed: 0));
        Assert.Empty(SkipGramPairs.Generate([7], window: 2, seed: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => SkipGramPairs.Generate([1, 2], window: 0, seed: 0));
    }
}
