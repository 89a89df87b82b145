namespace GraphCompiler.Runtime.Text;

/// <summary>
/// word2vec's subsampling of frequent words. A token of word w, whose share of the corpus is
/// f(w) = count(w) / total, is kept with probability
/// <c>P_keep(w) = min(1, sqrt(t / f(w)) + t / f(w))</c>, where t is the threshold (typically 1e-3 to
/// 1e-5). This is the formula of the original word2vec C code; the paper's
/// <c>1 − sqrt(t / f)</c> discard probability is its first term. Words with f ≤ t are always kept.
/// </summary>
public sealed class Subsampling
{
    private readonly double[] _keep;

    /// <param name="counts">Counts by id (e.g. <see cref="Vocabulary.Counts"/>).</param>
    /// <param name="threshold">t &gt; 0.</param>
    public Subsampling(IReadOnlyList<long> counts, double threshold)
    {
        ArgumentNullException.ThrowIfNull(counts);
        if (!(threshold > 0) || double.IsInfinity(threshold))
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "subsampling threshold must be positive and finite");
        long total = 0;
        for (int i = 0; i < counts.Count; i++)
        {
            if (counts[i] < 0) throw new ArgumentException($"count of id {i} is negative ({counts[i]})", nameof(counts));
            total += counts[i];
        }
        Threshold = threshold;
        _keep = new double[counts.Count];
        for (int i = 0; i < counts.Count; i++)
        {
            if (counts[i] == 0) { _keep[i] = 1; continue; }
            double ratio = threshold / ((double)counts[i] / total);
            _keep[i] = Math.Min(1.0, Math.Sqrt(ratio) + ratio);
        }
    }

    /// <summary>The threshold t.</summary>
    public double Threshold { get; }

    /// <summary>The number of ids the counts held (valid ids are 0 .. Count - 1).</summary>
    public int Count => _keep.Length;

    /// <summary>P_keep of the word with id <paramref name="id"/>.</summary>
    public double KeepProbability(int id) => _keep[id];

    /// <summary>
    /// The ids that survive, in order, lazily. One uniform draw per input id from a generator seeded
    /// with <paramref name="seed"/>, so the same input and seed give the same output.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An id is outside the counts this instance was built from.</exception>
    public IEnumerable<int> Apply(IEnumerable<int> ids, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(ids);
        return Iterate(ids, seed);
    }

    private IEnumerable<int> Iterate(IEnumerable<int> ids, ulong seed)
    {
        var random = new SplitMix64(seed);
        long position = 0;
        foreach (var id in ids)
        {
            if ((uint)id >= (uint)_keep.Length)
                throw new ArgumentOutOfRangeException(nameof(ids), id, $"id at position {position} is outside 0..{_keep.Length - 1}");
            position++;
            if (random.NextDouble() < _keep[id]) yield return id;
        }
    }
}
