using GraphCompiler.Runtime.Execution;

namespace GraphCompiler.Runtime.Tests.Execution;

public class KernelRangesTests
{
    private ref struct Marks
    {
        public Span<int> Hits;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    [InlineData(KernelRanges.ParallelElements - 1)]
    [InlineData(KernelRanges.ParallelElements)]
    [InlineData(200_003)]
    [InlineData(1_000_000)]
    public void Every_index_is_visited_exactly_once(int count)
    {
        var hits = new int[count];
        var state = new Marks { Hits = hits };
        KernelRanges.For(count, ref state, static (ref Marks s, int from, int to) =>
        {
            Assert.True(0 <= from && from <= to && to <= s.Hits.Length, $"range [{from}, {to}) outside [0, {s.Hits.Length})");
            for (int i = from; i < to; i++) Interlocked.Increment(ref s.Hits[i]);
        });
        Assert.All(hits, h => Assert.Equal(1, h));
    }

    [Fact]
    public void Large_work_is_split_into_ranges_and_small_work_is_not()
    {
        int calls = 0;
        var state = new Marks { Hits = new int[1] };
        KernelRanges.For(KernelRanges.ParallelElements - 1, ref state, (ref Marks s, int from, int to) => Interlocked.Increment(ref calls));
        Assert.Equal(1, calls);
        calls = 0;
        KernelRanges.For(1_000_000, ref state, (ref Marks s, int from, int to) => Interlocked.Increment(ref calls));
        Assert.Equal(Math.Min(Environment.ProcessorCount, 1_000_000 / (KernelRanges.ParallelElements / 2)), calls);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(3, 3 * 100_000)]
    [InlineData(1, 1_000_000)]
    [InlineData(20_001, 140_007)]
    public void Every_row_is_visited_exactly_once(int rows, int elements)
    {
        var hits = new int[rows];
        var state = new Marks { Hits = hits };
        KernelRanges.ForRows(rows, elements, ref state, static (ref Marks s, int from, int to) =>
        {
            for (int r = from; r < to; r++) Interlocked.Increment(ref s.Hits[r]);
        });
        Assert.All(hits, h => Assert.Equal(1, h));
    }
}
