namespace GraphCompiler.Runtime.Text;

/// <summary>
/// Draws word ids from the smoothed unigram distribution that word2vec's negative sampling (and
/// TensorFlow's <c>fixed_unigram_candidate_sampler</c> with <c>distortion</c>) use:
/// <c>P(w) = count(w)^power / Σ_v count(v)^power</c>, power 0.75 by default. Where word2vec fills
/// a 10^8-entry table, this uses Walker's alias table (Vose's construction): one slot per id, O(1)
/// per draw (one 64-bit random number: the high half picks the slot, the low half decides between
/// the slot and its alias), and the exact distribution up to 2^−32. Draws with replacement.
/// An instance owns its generator and is not thread-safe: use one per thread (with distinct seeds).
/// </summary>
public sealed class NegativeSampler
{
    private readonly double[] _probability;
    private readonly ulong[] _acceptBelow; // threshold · 2^32: the low 32 random bits keep the slot below this
    private readonly int[] _alias;
    private readonly SplitMix64 _random;

    /// <param name="counts">Counts by id (e.g. <see cref="Vocabulary.Counts"/>); zero counts are never drawn.</param>
    /// <param name="seed">Seed of this sampler's generator: the same seed gives the same draws.</param>
    /// <param name="power">The exponent applied to counts (0.75 in word2vec; 1 is the plain unigram).</param>
    public NegativeSampler(IReadOnlyList<long> counts, ulong seed, double power = 0.75)
    {
        ArgumentNullException.ThrowIfNull(counts);
        if (counts.Count == 0) throw new ArgumentException("no counts to sample from", nameof(counts));
        if (!(power >= 0) || double.IsInfinity(power))
            throw new ArgumentOutOfRangeException(nameof(power), power, "power must be finite and non-negative");

        int n = counts.Count;
        _probability = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            if (counts[i] < 0) throw new ArgumentException($"count of id {i} is negative ({counts[i]})", nameof(counts));
            _probability[i] = counts[i] == 0 ? 0 : Math.Pow(counts[i], power);
            sum += _probability[i];
        }
        if (sum == 0) throw new ArgumentException("all counts are zero", nameof(counts));
        for (int i = 0; i < n; i++) _probability[i] /= sum;

        (var threshold, _alias) = BuildAliasTable(_probability);
        _acceptBelow = Array.ConvertAll(threshold, t => (ulong)Math.Round(Math.Clamp(t, 0, 1) * 4294967296.0));
        _random = new SplitMix64(seed);
    }

    /// <summary>Number of ids (the range of draws is 0 .. Count − 1).</summary>
    public int Count => _probability.Length;

    /// <summary>P(<paramref name="id"/>) under the smoothed distribution.</summary>
    public double Probability(int id) => _probability[id];

    /// <summary>One id.</summary>
    public int Next()
    {
        ulong r = _random.NextUInt64();
        int slot = (int)(((r >> 32) * (ulong)_acceptBelow.Length) >> 32);
        return (r & 0xFFFF_FFFFUL) < _acceptBelow[slot] ? slot : _alias[slot];
    }

    /// <summary>
    /// A sampler of the same distribution, sharing this one's tables (they are never written after construction),
    /// with its own generator seeded by <paramref name="seed"/>: it draws exactly what a new sampler built from the
    /// same counts and that seed would, without the O(vocabulary) work and memory of building the tables again.
    /// </summary>
    public NegativeSampler WithSeed(ulong seed) => new(_probability, _acceptBelow, _alias, new SplitMix64(seed));

    private NegativeSampler(double[] probability, ulong[] acceptBelow, int[] alias, SplitMix64 random)
    {
        _probability = probability;
        _acceptBelow = acceptBelow;
        _alias = alias;
        _random = random;
    }

    /// <summary>Fills <paramref name="destination"/> with independent draws.</summary>
    public void Fill(Span<int> destination)
    {
        for (int i = 0; i < destination.Length; i++) destination[i] = Next();
    }

    // Vose (1991): scale probabilities by n; pair each under-full slot with an over-full one that
    // donates the rest of the slot. Slot i then yields i with probability threshold[i], else alias[i].
    private static (double[] Threshold, int[] Alias) BuildAliasTable(double[] probability)
    {
        int n = probability.Length;
        var threshold = new double[n];
        var alias = new int[n];
        var scaled = new double[n];
        var small = new Stack<int>();
        var large = new Stack<int>();
        for (int i = n - 1; i >= 0; i--)
        {
            scaled[i] = probability[i] * n;
            (scaled[i] < 1 ? small : large).Push(i);
        }
        while (small.Count > 0 && large.Count > 0)
        {
            int less = small.Pop(), more = large.Pop();
            threshold[less] = scaled[less];
            alias[less] = more;
            scaled[more] = scaled[more] + scaled[less] - 1;
            (scaled[more] < 1 ? small : large).Push(more);
        }
        // What remains is 1 up to rounding.
        while (large.Count > 0) { int i = large.Pop(); threshold[i] = 1; alias[i] = i; }
        while (small.Count > 0) { int i = small.Pop(); threshold[i] = 1; alias[i] = i; }
        return (threshold, alias);
    }
}
