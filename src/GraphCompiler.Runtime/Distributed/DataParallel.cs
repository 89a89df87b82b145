using System.Runtime.InteropServices;

namespace GraphCompiler.Runtime.Distributed;

/// <summary>
/// Data-parallel training over a <see cref="Communicator"/>, as Horovod and <c>DistributedDataParallel</c>
/// do it: every rank holds a replica, computes the gradients of its shard of the global batch
/// (<c>ComputeGradients</c>), <see cref="AllreduceGradients"/> averages them over the ranks bucket by
/// bucket, and every rank applies the same update (<c>ApplyGradients</c>). The replicas start equal
/// (<see cref="BroadcastState"/>) and stay bit-identical: every rank gets the same bits from the
/// all-reduce and runs the same update on them.
/// </summary>
public sealed class DataParallel(Communicator communicator) : IDisposable
{
    private readonly GradientAllreduce _allreduce = new(communicator);

    public Communicator Communicator { get; } = communicator;

    /// <summary>Bytes all-reduced so far (per rank, the payload handed to MPI).</summary>
    public long BytesReduced => _allreduce.BytesReduced;

    /// <summary>
    /// Time spent in <see cref="AllreduceGradients"/> so far: the whole all-reduce without overlap; with
    /// <see cref="OverlapWithBackward"/>, the wait after the backward pass for the buckets still under way.
    /// </summary>
    public TimeSpan ReduceTime => _allreduce.WaitTime;

    /// <summary>The gradient all-reduce itself, with its counts of buckets overlapped.</summary>
    public GradientAllreduce Allreduce => _allreduce;

    /// <summary>
    /// The seed of rank <paramref name="rank"/>'s model: the run's seed on rank 0, a different one on every
    /// other rank, so that dropout masks differ between ranks (the variables are then made equal by
    /// <see cref="BroadcastState"/>).
    /// </summary>
    public static ulong RankSeed(ulong seed, int rank) =>
        rank == 0 ? seed : Mix(seed ^ (0x9E3779B97F4A7C15UL * (ulong)rank));

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Every variable (optimizer slots included) and the global step from rank 0 to all ranks.</summary>
    public void BroadcastState(IModel model)
    {
        foreach (var v in model.AllVariables) Communicator.Broadcast(v.AsBytes());
        model.GlobalStep = Communicator.Broadcast(model.GlobalStep);
    }

    /// <summary>
    /// Replaces every gradient (and the loss) by its mean over the ranks: a sum all-reduce per bucket planned
    /// at build time (<see cref="GradientSet.Buckets"/>, in the order the backward pass completes them), then
    /// times 1/world. With equal shards of a mean loss this is the gradient of the global batch's mean loss.
    /// After <see cref="OverlapWithBackward"/> it waits for the buckets that <c>ComputeGradients</c> started.
    /// </summary>
    public void AllreduceGradients(GradientSet gradients) => _allreduce.Reduce(gradients);

    /// <summary>
    /// Starts each bucket's all-reduce as soon as <c>ComputeGradients</c> completes it, overlapping communication
    /// with the rest of the backward pass (<see cref="GradientAllreduce.OverlapWithBackward"/>); the results are
    /// bit-identical to those without overlap. Between <c>ComputeGradients</c> and <see cref="AllreduceGradients"/>
    /// make no other collective call.
    /// </summary>
    public void OverlapWithBackward(GradientSet gradients) => _allreduce.OverlapWithBackward(gradients);

    /// <summary>A 64-bit FNV-1a hash of every variable's bytes and the global step: equal on all ranks iff the replicas are (almost surely) identical.</summary>
    public static ulong Fingerprint(IModel model)
    {
        ulong h = 14695981039346656037UL;
        void Add(ulong x) => h = (h ^ x) * 1099511628211UL;
        Add((ulong)model.GlobalStep);
        foreach (var v in model.AllVariables)
        {
            var bytes = v.AsBytes();
            var words = MemoryMarshal.Cast<byte, ulong>(bytes);
            foreach (var w in words) Add(w);
            for (int i = words.Length * 8; i < bytes.Length; i++) Add(bytes[i]);
        }
        return h;
    }

    /// <summary>Whether every rank's replica has the same <see cref="Fingerprint"/> (a collective: call on all ranks).</summary>
    public bool ReplicasIdentical(IModel model)
    {
        var h = Fingerprint(model);
        double high = h >> 32, low = h & 0xFFFFFFFFUL;
        return Communicator.AllreduceMax(high) == Communicator.AllreduceMin(high) && Communicator.AllreduceMax(low) == Communicator.AllreduceMin(low);
    }

    /// <summary>Ends the communication thread of the overlapped all-reduce.</summary>
    public void Dispose() => _allreduce.Dispose();
}
