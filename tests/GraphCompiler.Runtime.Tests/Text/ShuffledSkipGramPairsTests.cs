using GraphCompiler.Runtime.Data;
using GraphCompiler.Runtime.Text;

namespace GraphCompiler.Runtime.Tests.Text;

/// <summary>The fused pair stage gives exactly the pairs, in the order, and the ids read of the composition it replaces.</summary>
public class ShuffledSkipGramPairsTests
{
    // The composition: subsampling → pairs → shuffle, every stage seeded alike, counting the ids pulled from the input.
    private static List<(SkipGramPair Pair, long Read)> Composed(int[] ids, int window, int bufferSize, Subsampling? subsampling, ulong seed)
    {
        long read = 0;
        IEnumerable<int> Counted()
        {
            foreach (int id in ids)
            {
                read++;
                yield return id;
            }
        }
        var kept = subsampling is null ? Counted() : subsampling.Apply(Counted(), seed);
        var pairs = Dataset.FromEnumerable(() => SkipGramPairs.Generate(kept, window, seed)).Shuffle(bufferSize, seed);
        var result = new List<(SkipGramPair, long)>();
        foreach (var pair in pairs) result.Add((pair, read));
        return result;
    }

    private static List<(SkipGramPair Pair, long Read)> Fused(ShuffledSkipGramPairs fused, int[] ids, ulong seed, int fill)
    {
        fused.Reset(ids, seed);
        var centers = new int[fill];
        var contexts = new int[fill];
        var result = new List<(SkipGramPair, long)>();
        while (true)
        {
            // One pair at a time, so Read is seen after each (as the composition's consumer sees it).
            int got = fused.Fill(centers.AsSpan(0, 1), contexts.AsSpan(0, 1));
            if (got == 0) break;
            result.Add((new SkipGramPair(centers[0], contexts[0]), fused.Read));
        }
        // And in whole batches: the same pairs, the last batch short.
        fused.Reset(ids, seed);
        var batched = new List<SkipGramPair>();
        int filled;
        do
        {
            filled = fused.Fill(centers, contexts);
            for (int i = 0; i < filled; i++) batched.Add(new SkipGramPair(centers[i], contexts[i]));
        }
        while (filled == fill);
        Assert.Equal(result.Select(r => r.Item1), batched);
        return result;
    }

    [Theory]
    [InlineData(0, 5, 8192)]
    [InlineData(1, 5, 8192)]
    [InlineData(2, 1, 1)]
    [InlineData(7, 5, 3)]
    [InlineData(11, 5, 8192)]
    [InlineData(1_000, 2, 1)]
    [InlineData(1_000, 5, 64)]
    [InlineData(30_000, 5, 8192)]
    [InlineData(30_000, 7, 1_000)]
    public void Pairs_order_and_reads_are_the_compositions(int length, int window, int bufferSize)
    {
        var rng = new Random(length * 31 + window);
        // Zipf-like ids so that subsampling drops the frequent ones often and the rare ones never.
        var counts = Enumerable.Range(0, 500).Select(i => (long)(100_000 / (i + 1)) + 1).ToArray();
        var ids = Enumerable.Range(0, length).Select(_ => (int)Math.Min(499, Math.Floor(Math.Exp(rng.NextDouble() * Math.Log(500))) - 1)).ToArray();
        foreach (var subsampling in new[] { null, new Subsampling(counts, 1e-3) })
        {
            var fused = new ShuffledSkipGramPairs(window, bufferSize, subsampling);
            foreach (ulong seed in new ulong[] { 0, 12345, ulong.MaxValue })
            {
                var expected = Composed(ids, window, bufferSize, subsampling, seed);
                // The same object reused across sequences and seeds, and batches of odd sizes.
                Assert.Equal(expected, Fused(fused, ids, seed, fill: 7));
                Assert.Equal(expected, Fused(fused, ids, seed, fill: 128));
            }
            if (length > 100 && subsampling is not null) Assert.True(Composed(ids, window, bufferSize, subsampling, 1).Count < Composed(ids, window, bufferSize, null, 1).Count);
        }
    }

    [Fact]
    public void Bad_arguments_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ShuffledSkipGramPairs(0, 10, null));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ShuffledSkipGramPairs(5, 0, null));
        var fused = new ShuffledSkipGramPairs(5, 10, new Subsampling([10, 20], 1e-3));
        Assert.Throws<ArgumentOutOfRangeException>(() => fused.Reset([0, 1, 2], 1));
        fused.Reset([0, 1], 1);
        Assert.Throws<ArgumentException>(() => fused.Fill(new int[2], new int[3]));
    }
}
