using GraphCompiler.Runtime.Kernels;

namespace GraphCompiler.Runtime.Tests.Kernels;

public unsafe class KernelParallelTests
{
    private struct Counts
    {
        public int* Hits;
        public int Nested;
    }

    private static void CountItem(void* state, int i)
    {
        ref var s = ref *(Counts*)state;
        Interlocked.Increment(ref s.Hits[i]);
    }

    private static void NestedItem(void* state, int i)
    {
        ref var s = ref *(Counts*)state;
        // A job started from inside a job runs serially on this thread instead of deadlocking.
        KernelParallel.For(4, &CountItem, state);
        Interlocked.Increment(ref s.Nested);
    }

    private static void Throwing(void* state, int i)
    {
        if (i == 5) throw new InvalidOperationException("item 5 failed");
    }

    [Fact]
    public void Every_item_runs_exactly_once()
    {
        var hits = new int[1000];
        fixed (int* p = hits)
        {
            var counts = new Counts { Hits = p };
            for (int round = 0; round < 20; round++) KernelParallel.For(hits.Length, &CountItem, &counts);
        }

        Assert.All(hits, h => Assert.Equal(20, h));
    }

    [Fact]
    public void Nested_jobs_complete()
    {
        var hits = new int[4];
        fixed (int* p = hits)
        {
            var counts = new Counts { Hits = p };
            KernelParallel.For(8, &NestedItem, &counts);
            Assert.Equal(8, counts.Nested);
        }

        Assert.All(hits, h => Assert.Equal(8, h));
    }

    [Fact]
    public void Exceptions_reach_the_caller_and_the_pool_keeps_working()
    {
        var e = Assert.Throws<InvalidOperationException>(() => KernelParallel.For(50, &Throwing, null));
        Assert.Equal("item 5 failed", e.Message);
        Every_item_runs_exactly_once();
    }
}
