namespace GraphCompiler.Compiler.Model;

/// <summary>
/// How a gradient set's flat buffer is cut into all-reduce buckets: filled from the last variable backwards,
/// each closed once it holds <see cref="BucketBytes"/> or more (as PyTorch DDP fills its buckets, so a small
/// bias never travels alone). The backward pass finishes the last layer's gradients first, so the first bucket
/// is the first one ready. The generator plans static layouts with it; the runtime plans the layouts of models
/// whose sizes are hyperparameters with it at construction.
/// </summary>
public static class GradientBuckets
{
    /// <summary>
    /// The size at which a bucket is closed. 1 MiB is PyTorch DDP's first bucket: small enough that the last
    /// layers' gradients can travel while earlier ones are computed, large enough that a bucket's latency is
    /// small against its transfer on loopback or Ethernet.
    /// </summary>
    public const long BucketBytes = 1 << 20;

    /// <summary>
    /// The buckets of gradients with these element <paramref name="counts"/> (in variable order), in the order
    /// they are filled: each the range [<c>First</c>, <c>Last</c>] of variable indices, <c>First</c> ≤ <c>Last</c>.
    /// </summary>
    public static IReadOnlyList<(int First, int Last)> Plan(IReadOnlyList<int> counts, int elementBytes = 4)
    {
        var buckets = new List<(int, int)>();
        int last = counts.Count - 1;
        long bytes = 0;
        for (int i = counts.Count - 1; i >= 0; i--)
        {
            bytes += (long)counts[i] * elementBytes;
            if (bytes < BucketBytes) continue;
            buckets.Add((i, last));
            last = i - 1;
            bytes = 0;
        }
        if (last >= 0) buckets.Add((0, last));
        return buckets;
    }
}
