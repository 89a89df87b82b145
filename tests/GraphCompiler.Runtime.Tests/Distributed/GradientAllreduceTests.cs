using GraphCompiler.Runtime.Distributed;

namespace GraphCompiler.Runtime.Tests.Distributed;

/// <summary>
/// The bucketed gradient all-reduce over a stand-in for MPI: buckets in order, on the calling thread without
/// overlap and on the communication thread as they are signalled with it, the same bits either way.
/// </summary>
public class GradientAllreduceTests
{
    /// <summary>Three gradients a [3], b [4], c [6]; buckets from the last back, each of its own length.</summary>
    private sealed class ThreeBuckets : GradientSet
    {
        public ThreeBuckets()
            : base(13, new[]
            {
                new GradientBucket(DType.Float32, 7, 6, new[] { "c" }),
                new GradientBucket(DType.Float32, 3, 4, new[] { "b" }),
                new GradientBucket(DType.Float32, 0, 3, new[] { "a" }),
            })
        {
            Register(new Gradient<float>("a", new[] { 3 }, Float32, 0));
            Register(new Gradient<float>("b", new[] { 4 }, Float32, 3));
            Register(new Gradient<float>("c", new[] { 6 }, Float32, 7));
        }

        public static ThreeBuckets Filled()
        {
            var g = new ThreeBuckets { Loss = 2.5f };
            for (int i = 0; i < g.Float32.Length; i++) g.Float32[i] = MathF.Sin(i + 1) / 3f;
            return g;
        }
    }

    /// <summary>
    /// A second rank whose gradients are i + 0.1 (by position in the span), summed and halved as
    /// <c>AllreduceMean</c> over two ranks does; it records each call's length and thread.
    /// </summary>
    private sealed class TwoRankStandIn(bool threads = true) : IGradientCollectives
    {
        public readonly List<(int Length, int Thread)> Calls = new();
        public readonly ManualResetEventSlim FirstCall = new();
        public Exception? Fail;

        public int Size => 2;

        public bool AllowsCommunicationThread => threads;

        public void AllreduceMean(Span<float> data)
        {
            lock (Calls) Calls.Add((data.Length, Environment.CurrentManagedThreadId));
            FirstCall.Set();
            if (Fail is not null) throw Fail;
            for (int i = 0; i < data.Length; i++) data[i] = (data[i] + (i + 0.1f)) * 0.5f;
        }
    }

    [Fact]
    public void WithoutOverlapEveryBucketThenTheLossIsReducedInOrderOnTheCallingThread()
    {
        var comm = new TwoRankStandIn();
        using var allreduce = new GradientAllreduce(comm);
        var g = ThreeBuckets.Filled();
        var expected = g.Float32.ToArray();
        allreduce.Reduce(g);
        Assert.Equal(new[] { 6, 4, 3, 1 }, comm.Calls.Select(c => c.Length));
        Assert.All(comm.Calls, c => Assert.Equal(Environment.CurrentManagedThreadId, c.Thread));
        for (int i = 0; i < 3; i++) Assert.Equal((expected[i] + (i + 0.1f)) * 0.5f, g.Float32[i]);
        Assert.Equal((2.5f + 0.1f) * 0.5f, g.Loss);
        Assert.Equal(4L * 13, allreduce.BytesReduced);
        Assert.Equal((0L, 3L), (allreduce.BucketsOverlapped, allreduce.Buckets));
    }

    [Fact]
    public void OverlappedBucketsStartAsSignalledOnTheCommunicationThreadAndGiveTheSameBits()
    {
        var plain = ThreeBuckets.Filled();
        using (var reference = new GradientAllreduce(new TwoRankStandIn())) reference.Reduce(plain);

        var comm = new TwoRankStandIn();
        using var allreduce = new GradientAllreduce(comm);
        var g = ThreeBuckets.Filled();
        allreduce.OverlapWithBackward(g);
        Assert.Same(allreduce, g.BucketListener);
        for (int step = 0; step < 2; step++)
        {
            comm.Calls.Clear();
            comm.FirstCall.Reset();
            // The "backward" completes bucket 0, and its all-reduce runs before the step asks for the result.
            g.BucketReady(0);
            Assert.True(comm.FirstCall.Wait(TimeSpan.FromSeconds(30)), "bucket 0's all-reduce did not start when it was signalled");
            g.BucketReady(1);
            allreduce.Reduce(g);   // bucket 2 was not signalled: it is started here, after the others
            lock (comm.Calls)
            {
                Assert.Equal(new[] { 6, 4, 3, 1 }, comm.Calls.Select(c => c.Length));
                Assert.All(comm.Calls.Take(3), c => Assert.NotEqual(Environment.CurrentManagedThreadId, c.Thread));
            }
            if (step == 0)
            {
                Assert.Equal(plain.Float32, g.Float32);   // bit for bit: float equality element by element
                Assert.Equal(plain.Loss, g.Loss);
                Array.Copy(ThreeBuckets.Filled().Float32, g.Float32, 13);
                g.Loss = 2.5f;
            }
        }
        Assert.Equal((4L, 6L), (allreduce.BucketsOverlapped, allreduce.Buckets));
    }

    [Fact]
    public void ABucketSignalledTwiceInOneStepIsRefusedAndTheNextStepMaySignalItAgain()
    {
        using var allreduce = new GradientAllreduce(new TwoRankStandIn());
        var g = ThreeBuckets.Filled();
        allreduce.OverlapWithBackward(g);
        g.BucketReady(0);
        var ex = Assert.Throws<InvalidOperationException>(() => g.BucketReady(0));
        Assert.Contains("bucket 0 of ThreeBuckets was signalled twice", ex.Message);
        Assert.Contains("micro-batches", ex.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => g.BucketReady(3));
        allreduce.Reduce(g);
        g.BucketReady(0);
        allreduce.Reduce(g);
    }

    [Fact]
    public void AFailureOnTheCommunicationThreadSurfacesFromReduce()
    {
        var comm = new TwoRankStandIn { Fail = new InvalidOperationException("MPI_Allreduce(sum) failed: peer lost") };
        using var allreduce = new GradientAllreduce(comm);
        var g = ThreeBuckets.Filled();
        allreduce.OverlapWithBackward(g);
        g.BucketReady(0);
        Assert.Equal("MPI_Allreduce(sum) failed: peer lost", Assert.Throws<InvalidOperationException>(() => allreduce.Reduce(g)).Message);
    }

    [Fact]
    public void WithoutAListenerOrThreadSupportNothingOverlaps()
    {
        using var noThreads = new GradientAllreduce(new TwoRankStandIn(threads: false));
        Assert.Contains("MPI_THREAD_SERIALIZED", Assert.Throws<NotSupportedException>(() => noThreads.OverlapWithBackward(ThreeBuckets.Filled())).Message);

        // A set whose listener was taken away (a micro-batch before the last) signals nobody; Reduce does it all.
        var comm = new TwoRankStandIn();
        using var allreduce = new GradientAllreduce(comm);
        var g = ThreeBuckets.Filled();
        allreduce.OverlapWithBackward(g);
        g.BucketListener = null;
        g.BucketReady(0);
        Assert.Empty(comm.Calls);
        allreduce.Reduce(g);
        Assert.Equal(new[] { 6, 4, 3, 1 }, comm.Calls.Select(c => c.Length));
        Assert.Equal(0L, allreduce.BucketsOverlapped);
    }
}
