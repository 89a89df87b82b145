namespace GraphCompiler.Runtime;

public abstract partial class GradientSet
{
    /// <summary>
    /// Told of each all-reduce bucket as soon as the generated <c>ComputeGradients</c> has completed it, while the
    /// kernels of earlier layers still run: data-parallel training starts the bucket's all-reduce there
    /// (<see cref="Distributed.GradientAllreduce"/>). Null when nobody listens, as in a plain training loop.
    /// </summary>
    public IGradientBucketListener? BucketListener { get; set; }

    /// <summary>
    /// Called by the generated <c>ComputeGradients</c>, once per bucket and call, in bucket order, as soon as the
    /// last kernel writing one of the bucket's gradients has run and the bucket's values are in <see cref="Float32"/>.
    /// </summary>
    public void BucketReady(int bucket) => BucketListener?.BucketReady(this, bucket);
}

/// <summary>Receives a gradient set's bucket signals (<see cref="GradientSet.BucketReady"/>).</summary>
public interface IGradientBucketListener
{
    /// <summary>
    /// Bucket <paramref name="bucket"/> of <paramref name="gradients"/> holds its final values of this
    /// <c>ComputeGradients</c> call; the rest of the call writes no element of its range.
    /// </summary>
    void BucketReady(GradientSet gradients, int bucket);
}
