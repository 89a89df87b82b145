namespace GraphCompiler.Runtime.Text;

/// <summary>One skip-gram training example: predict <see cref="Context"/> from <see cref="Center"/>.</summary>
public readonly record struct SkipGramPair(int Center, int Context);

/// <summary>
/// Skip-gram (center, context) pairs as word2vec makes them: for each position i a reach r is drawn
/// uniformly from 1..window, and every position j ≠ i with |i − j| ≤ r inside the sequence gives the
/// pair (ids[i], ids[j]), left to right. Nearby words are thus paired more often than distant
/// ones (distance d is used with probability (window − d + 1) / window), and a center far from the
/// ends yields window + 1 pairs on average.
/// </summary>
public static class SkipGramPairs
{
    /// <summary>
    /// The pairs of <paramref name="ids"/>, lazily: only the last 2·window + 1 ids are held, so an
    /// endless stream works. One draw per center from a generator seeded with <paramref name="seed"/>.
    /// </summary>
    public static IEnumerable<SkipGramPair> Generate(IEnumerable<int> ids, int window, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        return Iterate(ids, window, seed);
    }

    private static IEnumerable<SkipGramPair> Iterate(IEnumerable<int> ids, int window, ulong seed)
    {
        var random = new SplitMix64(seed);
        // Ring buffer keyed by absolute position: holds positions center-window .. center+window.
        int size = 2 * window + 1;
        var ring = new int[size];
        long filled = 0;   // positions read so far
        long center = 0;   // next position to emit pairs for
        using var source = ids.GetEnumerator();
        bool more = true;
        while (true)
        {
            // Read ahead until the right half of the window is present or the input ends.
            while (more && filled <= center + window)
            {
                more = source.MoveNext();
                if (more) ring[filled++ % size] = source.Current;
            }
            if (center >= filled) yield break;

            int reach = 1 + random.NextInt(window);
            long first = Math.Max(0, center - reach);
            long last = Math.Min(filled - 1, center + reach);
            int centerId = ring[center % size];
            for (long j = first; j <= last; j++)
                if (j != center) yield return new SkipGramPair(centerId, ring[j % size]);
            center++;
        }
    }
}
