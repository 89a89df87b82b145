using System.Diagnostics;

namespace GraphCompiler.Runtime.Distributed;

/// <summary>
/// The gradient all-reduce of data-parallel training: every bucket of a <see cref="GradientSet"/> (contiguous
/// ranges planned at build time) is replaced by its mean over the ranks, and so is the loss. Without overlap,
/// <see cref="Reduce"/> runs each bucket's all-reduce after the backward pass. After
/// <see cref="OverlapWithBackward"/>, each bucket's all-reduce starts on a communication thread as soon as the
/// generated <c>ComputeGradients</c> signals the bucket complete (<see cref="GradientSet.BucketReady"/>), so the
/// last layers' gradients travel while the earlier layers' are computed, and <see cref="Reduce"/> only waits for
/// what is still under way. Both ways make the same calls on the same ranges in the same order (buckets in
/// order, then the loss), so their results are bit-identical.
/// </summary>
/// <remarks>
/// Why a thread and not <c>MPI_Iallreduce</c>: Open MPI (4.1, as Debian ships it) has no asynchronous
/// progress thread (<c>ompi_info</c>: "OMPI progress: no"), so a non-blocking collective only advances inside
/// later MPI calls, and the backward pass makes none: the transfer would happen in the final <c>MPI_Wait</c>,
/// after the backward, which is no overlap at all. A thread blocked in <c>MPI_Allreduce</c> progresses on its
/// own. The blocking call also keeps the sums identical to the path without overlap, where a non-blocking
/// collective (Open MPI's libnbc) may pick another reduction order than <c>MPI_Allreduce</c> (coll/tuned) on
/// more than two ranks. Between <c>ComputeGradients</c> and <see cref="Reduce"/> only the communication thread
/// calls MPI, and the training thread calls it again only after <see cref="Reduce"/> has waited for that thread:
/// MPI_THREAD_SERIALIZED is enough (see <see cref="Communicator.Initialize"/>).
/// </remarks>
public sealed class GradientAllreduce(IGradientCollectives collectives) : IGradientBucketListener, IDisposable
{
    private CommunicationThread? _thread;
    private GradientSet? _overlapped;
    private bool[] _started = [];

    /// <summary>Bytes of gradients all-reduced so far (per rank, the payload handed to the collective).</summary>
    public long BytesReduced { get; private set; }

    /// <summary>
    /// Time spent in <see cref="Reduce"/> so far: the whole all-reduce without overlap; with it, the wait after
    /// the backward for the buckets still under way (and the loss's all-reduce).
    /// </summary>
    public TimeSpan WaitTime { get; private set; }

    /// <summary>Buckets whose all-reduce started during the backward pass, so far.</summary>
    public long BucketsOverlapped { get; private set; }

    /// <summary>Buckets all-reduced so far, overlapped or not.</summary>
    public long Buckets { get; private set; }

    /// <summary>
    /// From now on, each bucket of <paramref name="gradients"/> starts its all-reduce as soon as
    /// <c>ComputeGradients</c> completes it (this object becomes the set's <see cref="GradientSet.BucketListener"/>).
    /// Until <see cref="Reduce"/> returns, the collectives belong to the communication thread: make no other
    /// collective call in between. To accumulate micro-batches, let only the last one signal (set
    /// <see cref="GradientSet.BucketListener"/> to null for the others and back to this object for the last).
    /// </summary>
    public void OverlapWithBackward(GradientSet gradients)
    {
        ArgumentNullException.ThrowIfNull(gradients);
        if (!collectives.AllowsCommunicationThread)
            throw new NotSupportedException("overlapping the gradient all-reduce with the backward pass needs an MPI library that allows a communication thread (MPI_THREAD_SERIALIZED); this one does not, so run without overlap");
        CheckFloat32(gradients);
        if (_overlapped is not null && !ReferenceEquals(_overlapped, gradients)) _overlapped.BucketListener = null;
        _overlapped = gradients;
        _started = new bool[gradients.Buckets.Count];
        gradients.BucketListener = this;
        _thread ??= new CommunicationThread();
    }

    void IGradientBucketListener.BucketReady(GradientSet gradients, int bucket)
    {
        if (!ReferenceEquals(gradients, _overlapped)) return;
        if ((uint)bucket >= (uint)_started.Length)
            throw new ArgumentOutOfRangeException(nameof(bucket), bucket, $"{gradients.GetType().Name} has {_started.Length} all-reduce buckets");
        if (_started[bucket])
            throw new InvalidOperationException($"bucket {bucket} of {gradients.GetType().Name} was signalled twice before its all-reduce was waited for: ComputeGradients ran again before AllreduceGradients. To accumulate micro-batches, let only the last one signal (set gradients.BucketListener to null for the others).");
        _started[bucket] = true;
        Start(gradients, gradients.Buckets[bucket]);
    }

    /// <summary>
    /// Replaces every gradient and the loss by its mean over the ranks: with overlap, starts the buckets that were
    /// not signalled and waits for all; without, all-reduces each bucket in order here.
    /// </summary>
    public void Reduce(GradientSet gradients)
    {
        ArgumentNullException.ThrowIfNull(gradients);
        CheckFloat32(gradients);
        var start = Stopwatch.GetTimestamp();
        var buckets = gradients.Buckets;
        if (ReferenceEquals(gradients, _overlapped))
        {
            for (int i = 0; i < buckets.Count; i++)
            {
                if (_started[i])
                {
                    BucketsOverlapped++;
                    continue;
                }
                Start(gradients, buckets[i]);
            }
            _thread!.Drain();
            Array.Clear(_started);
        }
        else
        {
            foreach (var b in buckets) ReduceBucket(gradients, b);
        }
        float loss = gradients.Loss;
        collectives.AllreduceMean(new Span<float>(ref loss));
        gradients.Loss = loss;
        foreach (var b in buckets) BytesReduced += 4L * b.Count;
        Buckets += buckets.Count;
        WaitTime += Stopwatch.GetElapsedTime(start);
    }

    private void Start(GradientSet gradients, GradientBucket bucket) => _thread!.Post(() => ReduceBucket(gradients, bucket));

    private void ReduceBucket(GradientSet gradients, GradientBucket bucket) => collectives.AllreduceMean(gradients.Float32.AsSpan(bucket.Offset, bucket.Count));

    private static void CheckFloat32(GradientSet gradients)
    {
        foreach (var b in gradients.Buckets)
            if (b.DType != DType.Float32) throw new NotSupportedException($"all-reduce of {b.DType} gradients");
    }

    /// <summary>Stops listening and ends the communication thread (after what it still has to do).</summary>
    public void Dispose()
    {
        if (_overlapped is not null) _overlapped.BucketListener = null;
        _overlapped = null;
        _thread?.Dispose();
        _thread = null;
    }
}
