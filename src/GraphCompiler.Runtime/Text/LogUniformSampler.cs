namespace GraphCompiler.Runtime.Text;

/// <summary>
/// TensorFlow's log-uniform (Zipfian) candidate sampler, the default sampler of <c>tf.nn.nce_loss</c>
/// and <c>tf.nn.sampled_softmax_loss</c>. Over ids 0 .. range_max − 1, which must be sorted by
/// descending frequency (as <see cref="Vocabulary"/> ids are):
/// <code>P(k) = (log(k + 2) − log(k + 1)) / log(range_max + 1)</code>
/// A draw is <c>floor(exp(u · log(range_max + 1))) − 1</c> for u uniform in [0, 1), which has exactly
/// that distribution. The loss corrects its logits by the log of <see cref="ExpectedCount"/>.
/// An instance owns its generator and is not thread-safe: use one per thread (with distinct seeds).
/// </summary>
public sealed class LogUniformSampler
{
    private readonly double _logRange;
    private readonly SplitMix64 _random;

    /// <param name="rangeMax">Number of classes (ids 0 .. rangeMax − 1); at least 1.</param>
    /// <param name="seed">Seed of this sampler's generator.</param>
    public LogUniformSampler(int rangeMax, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rangeMax, 1);
        RangeMax = rangeMax;
        _logRange = Math.Log(rangeMax + 1.0);
        _random = new SplitMix64(seed);
    }

    /// <summary>The number of classes.</summary>
    public int RangeMax { get; }

    /// <summary>P(k) = (log(k + 2) − log(k + 1)) / log(range_max + 1).</summary>
    public double Probability(int k)
    {
        if ((uint)k >= (uint)RangeMax)
            throw new ArgumentOutOfRangeException(nameof(k), k, $"class id must be in 0..{RangeMax - 1}");
        return Math.Log((k + 2.0) / (k + 1.0)) / _logRange;
    }

    /// <summary>One class id, with replacement.</summary>
    public int Next()
    {
        long value = (long)Math.Exp(_random.NextDouble() * _logRange) - 1;
        // exp(u·log(R+1)) < R+1 for u < 1, but rounding may touch R: fold it onto R − 1.
        return (int)Math.Min(value, RangeMax - 1);
    }

    /// <summary>Fills <paramref name="destination"/> with independent draws (TF's <c>unique=False</c>).</summary>
    public void Sample(Span<int> destination)
    {
        for (int i = 0; i < destination.Length; i++) destination[i] = Next();
    }

    /// <summary>
    /// Fills <paramref name="destination"/> with distinct ids, drawing until that many distinct ones
    /// have been seen (TF's <c>unique=True</c>, what <c>nce_loss</c> uses). Returns the number of
    /// draws made, the <c>numTries</c> for <see cref="ExpectedCount"/>.
    /// </summary>
    public int SampleUnique(Span<int> destination)
    {
        if (destination.Length > RangeMax)
            throw new ArgumentException($"cannot draw {destination.Length} distinct ids from a range of {RangeMax}", nameof(destination));
        var seen = new HashSet<int>();
        int tries = 0;
        while (seen.Count < destination.Length)
        {
            int id = Next();
            tries++;
            if (seen.Add(id)) destination[seen.Count - 1] = id;
        }
        return tries;
    }

    /// <summary>
    /// Expected number of times id <paramref name="k"/> appears in one sample, as TensorFlow computes it:
    /// with replacement (<paramref name="numTries"/> = <paramref name="numSampled"/>) it is
    /// <c>numSampled · P(k)</c>; for a unique sample that took <paramref name="numTries"/> draws it is
    /// <c>1 − (1 − P(k))^numTries</c>, evaluated as <c>−expm1(numTries · log1p(−P(k)))</c>.
    /// </summary>
    public double ExpectedCount(int k, int numSampled, int numTries)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(numSampled, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(numTries, numSampled);
        double p = Probability(k);
        if (numTries == numSampled) return p * numSampled;
        // 1 − (1 − p)^n without the cancellation of subtracting from 1 for small p.
        return -ExpM1(numTries * Log1P(-p));
    }

    // Goldberg's and Kahan's tricks: log(1 + x) and exp(x) − 1 to a few ulps for tiny x,
    // where the naive forms lose every digit.
    private static double Log1P(double x)
    {
        double u = 1 + x;
        return u == 1 ? x : Math.Log(u) * x / (u - 1);
    }

    private static double ExpM1(double x)
    {
        double u = Math.Exp(x);
        if (u == 1) return x;
        if (u - 1 == -1) return -1;
        return (u - 1) * x / Math.Log(u);
    }
}
