using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace GraphCompiler.Runtime.Text;

/// <summary>
/// Counts words in one streaming pass with a cap on the distinct words held, as word2vec's <c>ReduceVocab</c>
/// does: when a new word would exceed <see cref="MaxEntries"/>, every word seen at most
/// <see cref="PruneThreshold"/> times is dropped and the threshold rises by one (repeated until there is
/// room). Memory is then bounded by the cap whatever the corpus length; the price is that a word dropped
/// early and seen again later restarts its count, so only words that stay above the rising threshold are
/// counted exactly (on natural text, all the frequent ones). Dropped occurrences are kept as a total, so
/// <see cref="TotalTokens"/> is exact and they become <see cref="Vocabulary.UnknownWord"/>'s count.
/// </summary>
public sealed class VocabularyCounter
{
    private readonly Dictionary<string, long> _counts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long>.AlternateLookup<ReadOnlySpan<char>> _spanCounts;

    /// <param name="maxEntries">The most distinct words held at once (each costs about 100 bytes: the string, its entry).</param>
    public VocabularyCounter(int maxEntries = int.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEntries, 2);
        MaxEntries = maxEntries;
        _spanCounts = _counts.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The cap on distinct words held.</summary>
    public int MaxEntries { get; }

    /// <summary>Words whose count is at most this were dropped by the last pruning (0: never pruned).</summary>
    public long PruneThreshold { get; private set; }

    /// <summary>The most distinct words held at any time (never above <see cref="MaxEntries"/>).</summary>
    public int PeakEntries { get; private set; }

    /// <summary>Every token added, dropped ones included.</summary>
    public long TotalTokens { get; private set; }

    /// <summary>Occurrences of words that pruning dropped.</summary>
    public long PrunedTokens { get; private set; }

    /// <summary>The counts held now.</summary>
    public IReadOnlyDictionary<string, long> Counts => _counts;

    /// <summary>Counts one occurrence of <paramref name="token"/>.</summary>
    public void Add(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        Add(token.AsSpan());
    }

    /// <summary>Counts one occurrence of <paramref name="token"/>; a string is made only for a word not held yet.</summary>
    public void Add(ReadOnlySpan<char> token)
    {
        TotalTokens++;
        ref long count = ref CollectionsMarshal.GetValueRefOrNullRef(_spanCounts, token);
        if (!Unsafe.IsNullRef(ref count))
        {
            count++;
            return;
        }
        while (_counts.Count >= MaxEntries) Prune();
        _counts.Add(new string(token), 1);
        PeakEntries = Math.Max(PeakEntries, _counts.Count);
    }

    /// <summary>Counts every token of <paramref name="tokens"/>.</summary>
    public void AddRange(IEnumerable<string> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        foreach (var token in tokens) Add(token);
    }

    /// <summary>Counts every token <paramref name="reader"/> has left to read (the streaming counting pass).</summary>
    public void AddRange(CorpusReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var tokens = new TokenSpans();
        while (reader.Read(tokens))
        {
            foreach (var token in tokens) Add(token);
            tokens.Clear();
        }
    }

    /// <summary>The vocabulary of the counts as gensim builds it (see <see cref="Vocabulary.FromCounts"/>); pruned occurrences count as unknown.</summary>
    public Vocabulary ToVocabulary(int minCount, int? maxWords = null) => Vocabulary.FromCounts(_counts, PrunedTokens, minCount, maxWords);

    private void Prune()
    {
        PruneThreshold++;
        foreach (var (word, count) in _counts)
        {
            if (count > PruneThreshold) continue;
            _counts.Remove(word);
            PrunedTokens += count;
        }
    }
}
