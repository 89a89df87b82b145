using System.Runtime.CompilerServices;
using GraphCompiler.Runtime.Data;

namespace GraphCompiler.Runtime.Tests.Data;

public class PrefetchTests
{
    [Fact]
    public void Prefetch_KeepsOrder()
    {
        var ds = Dataset.FromArray(Enumerable.Range(0, 1000).ToArray()).Map(i => i * 3).Prefetch(8);
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => i * 3), ds.ToArray());
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => i * 3), ds.ToArray());
    }

    [Fact]
    public void Prefetch_NeverRunsMoreThanTheBufferAhead()
    {
        var source = new CountingSource();
        using var e = source.Integers().Prefetch(4).GetEnumerator();
        for (int consumed = 1; consumed <= 50; consumed++)
        {
            Assert.True(e.MoveNext());
            Assert.Equal(consumed - 1, e.Current);
            // Buffer full plus the one element the producer may hold while waiting for room.
            Assert.InRange(source.Pulled, consumed, consumed + 4 + 1);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int FailOnThirdElement(int i) => i == 2 ? throw new FormatException("element 2 is bad") : i;

    [Fact]
    public void Prefetch_PropagatesTheProducerException_WithItsOriginalStack_AfterEarlierElements()
    {
        var ds = Dataset.FromArray(new[] { 0, 1, 2, 3 }).Map(FailOnThirdElement).Prefetch(2);
        using var e = ds.GetEnumerator();
        Assert.True(e.MoveNext());
        Assert.Equal(0, e.Current);
        Assert.True(e.MoveNext());
        Assert.Equal(1, e.Current);
        var error = Assert.Throws<FormatException>(() => e.MoveNext());
        Assert.Equal("element 2 is bad", error.Message);
        Assert.Contains(nameof(FailOnThirdElement), error.StackTrace);
    }

    [Fact]
    public void Prefetch_Dispose_StopsTheProducerAndDisposesTheSource()
    {
        var source = new CountingSource();
        var e = source.Integers().Prefetch(3).GetEnumerator();
        for (int i = 0; i < 5; i++) Assert.True(e.MoveNext());
        e.Dispose();
        Assert.Equal(1, source.DisposedPasses);
        int pulled = source.Pulled;
        Assert.InRange(pulled, 5, 5 + 3 + 1);
        // The producer has exited: the count can never move again. Another pass is a new thread.
        Assert.Equal([0, 1], source.Integers().Prefetch(3).Take(2).ToArray());
        Assert.Equal(2, source.DisposedPasses);
    }

    [Fact]
    public void Prefetch_BreakingOutOfForeach_StopsTheProducer()
    {
        var source = new CountingSource();
        foreach (var item in source.Integers().Prefetch(2))
            if (item == 10) break;
        Assert.Equal(1, source.DisposedPasses);
    }

    [Fact]
    public void Prefetch_Cancellation_ThrowsToTheConsumerAndStopsTheProducer()
    {
        var source = new CountingSource();
        using var cts = new CancellationTokenSource();
        var e = source.Integers().Prefetch(2, cts.Token).GetEnumerator();
        Assert.True(e.MoveNext());
        cts.Cancel();
        Assert.Throws<OperationCanceledException>(() => e.MoveNext());
        e.Dispose();
        Assert.Equal(1, source.DisposedPasses);
    }

    [Fact]
    public void Prefetch_OfBatches_ReusesBuffersDisposedByTheConsumer()
    {
        var rows = Dataset.FromTensorSlices(Enumerable.Range(0, 400).Select(i => (float)i).ToArray(), [100, 4]);
        float sum = 0;
        int batches = 0;
        foreach (var batch in rows.Batch(10).Prefetch(2))
        {
            foreach (var v in batch.Span) sum += v;
            batch.Dispose();
            batches++;
        }
        Assert.Equal(10, batches);
        Assert.Equal(Enumerable.Range(0, 400).Sum(), (int)sum);
    }
}
