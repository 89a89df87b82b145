using System.Runtime.InteropServices;
using GraphCompiler.EndToEnd.Tests.Models;
using GraphCompiler.Runtime;
using GraphCompiler.Runtime.Distributed;

namespace GraphCompiler.EndToEnd.Tests;

/// <summary>
/// The bucket signals of the generated <c>ComputeGradients</c> and the all-reduce they start, without MPI: each
/// bucket signalled once per call, in bucket order, holding its final values when signalled while later buckets
/// are still unwritten; the overlapped all-reduce over a two-rank stand-in gives the bits of the one after the
/// backward pass, and its first bucket's collective runs before the backward pass has ended.
/// </summary>
public class GradientBucketSignalTests
{
    private static (float[] X, int[] Labels) Batch(int seed, int batch)
    {
        var rng = new Random(seed);
        return (Enumerable.Range(0, batch * 512).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray(), Enumerable.Range(0, batch).Select(_ => rng.Next(4)).ToArray());
    }

    /// <summary>The bit patterns of <paramref name="values"/>, to compare floats bit for bit.</summary>
    private static int[] Bits(float[] values) => MemoryMarshal.Cast<float, int>(values).ToArray();

    /// <summary>Records each signal with a copy of the whole buffer at that moment, then passes it on.</summary>
    private sealed class Recorder(IGradientBucketListener? next = null) : IGradientBucketListener
    {
        public readonly List<(int Bucket, float[] Buffer)> Signals = new();
        public Action<int>? OnSignal;

        public void BucketReady(GradientSet gradients, int bucket)
        {
            Signals.Add((bucket, gradients.Float32.ToArray()));
            next?.BucketReady(gradients, bucket);
            OnSignal?.Invoke(bucket);
        }
    }

    /// <summary>A second rank whose gradients are 0.25 − i/n, summed and halved; records the lengths reduced.</summary>
    private sealed class TwoRankStandIn : IGradientCollectives
    {
        public readonly List<int> Lengths = new();
        public readonly ManualResetEventSlim FirstBucketStarted = new();

        public int Size => 2;

        public bool AllowsCommunicationThread => true;

        public void AllreduceMean(Span<float> data)
        {
            lock (Lengths) Lengths.Add(data.Length);
            FirstBucketStarted.Set();
            for (int i = 0; i < data.Length; i++) data[i] = (data[i] + (0.25f - (float)i / data.Length)) * 0.5f;
        }
    }

    [Fact]
    public void TheModelHasThreeBucketsFromTheLastLayerBack()
    {
        var g = new ThreeBucketMlp.ThreeBucketMlpGradients();
        Assert.Equal(new[] { "output/bias", "output/kernel", "h3/bias", "h3/kernel" }, g.Buckets[0].Variables);
        Assert.Equal(new[] { "h2/bias", "h2/kernel" }, g.Buckets[1].Variables);
        Assert.Equal(new[] { "h1/bias", "h1/kernel" }, g.Buckets[2].Variables);
    }

    [Fact]
    public void EachBucketIsSignalledOncePerStepInOrderWithItsFinalValuesBeforeLaterBucketsAreWritten()
    {
        var model = new ThreeBucketMlp(seed: 5);
        var gradients = new ThreeBucketMlp.ThreeBucketMlpGradients();
        var recorder = new Recorder();
        gradients.BucketListener = recorder;
        for (int step = 0; step < 3; step++)
        {
            var (x, labels) = Batch(step, 3 + 2 * step);
            recorder.Signals.Clear();
            Array.Fill(gradients.Float32, float.NaN);
            model.ComputeGradients(x, labels, gradients);
            Assert.Equal(new[] { 0, 1, 2 }, recorder.Signals.Select(s => s.Bucket));
            var final = gradients.Float32;
            for (int b = 0; b < 3; b++)
            {
                var (_, seen) = recorder.Signals[b];
                for (int c = 0; c < 3; c++)
                {
                    var range = gradients.Buckets[c];
                    var values = seen.AsSpan(range.Offset, range.Count);
                    if (c <= b)
                        Assert.True(values.SequenceEqual(final.AsSpan(range.Offset, range.Count)), $"step {step}: bucket {c} when bucket {b} was signalled is not its final value");
                    else
                        Assert.True(values.ToArray().All(float.IsNaN), $"step {step}: bucket {c} was written before bucket {b} was signalled");
                }
            }
            model.ApplyGradients(gradients, 0.001f);
        }

        // The signals change nothing: the same gradients as without a listener.
        var (x2, labels2) = Batch(9, 4);
        var plain = new ThreeBucketMlp(seed: 5).ComputeGradients(x2, labels2);
        var fresh = new ThreeBucketMlp.ThreeBucketMlpGradients { BucketListener = new Recorder() };
        new ThreeBucketMlp(seed: 5).ComputeGradients(x2, labels2, fresh);
        Assert.Equal(Bits(plain.Float32), Bits(fresh.Float32));
    }

    [Fact]
    public void OverlappedAllreduceStartsDuringTheBackwardPassAndEqualsTheOneAfterItBitForBit()
    {
        var overlapped = new ThreeBucketMlp(seed: 7);
        var after = new ThreeBucketMlp(seed: 7);
        var g1 = new ThreeBucketMlp.ThreeBucketMlpGradients();
        var g2 = new ThreeBucketMlp.ThreeBucketMlpGradients();
        var comm1 = new TwoRankStandIn();
        var comm2 = new TwoRankStandIn();
        using var reduce1 = new GradientAllreduce(comm1);
        using var reduce2 = new GradientAllreduce(comm2);
        reduce1.OverlapWithBackward(g1);
        // Between the all-reduce and the set sits a recorder that, at the last bucket's signal (inside
        // ComputeGradients, before it returns), waits for the first bucket's collective to have begun.
        var recorder = new Recorder(reduce1);
        bool startedDuringBackward = true;
        recorder.OnSignal = b =>
        {
            if (b == 2) startedDuringBackward &= comm1.FirstBucketStarted.Wait(TimeSpan.FromSeconds(60));
        };
        g1.BucketListener = recorder;
        int[] lengths = g1.Buckets.Select(b => b.Count).Append(1).ToArray();
        for (int step = 0; step < 4; step++)
        {
            var (x, labels) = Batch(100 + step, 6);
            comm1.FirstBucketStarted.Reset();
            lock (comm1.Lengths) comm1.Lengths.Clear();
            overlapped.ComputeGradients(x, labels, g1);
            Assert.True(startedDuringBackward, $"step {step}: the first bucket's all-reduce had not begun when the last bucket was signalled");
            reduce1.Reduce(g1);
            after.ComputeGradients(x, labels, g2);
            reduce2.Reduce(g2);
            lock (comm1.Lengths) Assert.Equal(lengths, comm1.Lengths);
            Assert.Equal(Bits(g2.Float32), Bits(g1.Float32));
            Assert.Equal(BitConverter.SingleToInt32Bits(g2.Loss), BitConverter.SingleToInt32Bits(g1.Loss));
            overlapped.ApplyGradients(g1, 0.01f);
            after.ApplyGradients(g2, 0.01f);
        }
        Assert.Equal(((IModel)after).AllVariables.Select(v => v.AsBytes().ToArray()), ((IModel)overlapped).AllVariables.Select(v => v.AsBytes().ToArray()));
        Assert.Equal(12L, reduce1.BucketsOverlapped);
        Assert.Equal(0L, reduce2.BucketsOverlapped);
    }
}
