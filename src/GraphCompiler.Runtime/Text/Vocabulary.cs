namespace GraphCompiler.Runtime.Text;

/// <summary>
/// Words and their ids: id 0 is <see cref="UnknownWord"/>, which stands for every word that was
/// dropped (too rare, or past the size limit) and whose count is the sum of theirs; ids 1, 2, …
/// are the kept words by descending count, ties broken by ordinal order of the word so the same
/// tokens always give the same ids. Low ids are the frequent words, which is what the log-uniform
/// candidate sampler (<see cref="LogUniformSampler"/>) assumes.
/// </summary>
public sealed class Vocabulary
{
    /// <summary>The word for id 0. Upper-case, so no token of <see cref="Tokenizer"/> (always lower-case) can collide with it.</summary>
    public const string UnknownWord = "UNK";

    /// <summary>The id of <see cref="UnknownWord"/>.</summary>
    public const int UnknownId = 0;

    private readonly string[] _words;
    private readonly long[] _counts;
    private readonly WordTable _ids;

    private Vocabulary(string[] words, long[] counts)
    {
        _words = words;
        _counts = counts;
        _ids = new WordTable(words);
        TotalCount = counts.Sum();
    }

    /// <summary>
    /// Counts <paramref name="tokens"/> and keeps the words seen at least <paramref name="minCount"/>
    /// times, at most <paramref name="maxSize"/> entries in all (<see cref="UnknownWord"/> included;
    /// the most frequent win). A token equal to <see cref="UnknownWord"/> counts as unknown.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="minCount"/> &lt; 1 or <paramref name="maxSize"/> &lt; 1.</exception>
    public static Vocabulary Build(IEnumerable<string> tokens, int minCount, int? maxSize = null)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentOutOfRangeException.ThrowIfLessThan(minCount, 1);
        if (maxSize is { } max) ArgumentOutOfRangeException.ThrowIfLessThan(max, 1, nameof(maxSize));

        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var token in tokens)
        {
            ArgumentNullException.ThrowIfNull(token, nameof(tokens));
            counts[token] = counts.GetValueOrDefault(token) + 1;
        }
        return Create(counts, 0, minCount, maxSize is { } limit ? limit - 1 : int.MaxValue);
    }

    /// <summary>
    /// The vocabulary of word counts as gensim's <c>Word2Vec(min_count, max_final_vocab)</c> builds it: words seen
    /// fewer than <paramref name="minCount"/> times are dropped and, when more than <paramref name="maxWords"/>
    /// words remain, so is every word seen no more often than the one ranked <paramref name="maxWords"/> + 1 (the
    /// effective min count rises to its count + 1, so ties at the cut are all dropped and the vocabulary may hold
    /// fewer words). <see cref="UnknownWord"/> (id 0, not counted in <paramref name="maxWords"/>) counts every
    /// dropped occurrence, <paramref name="unknown"/> more (e.g. <see cref="VocabularyCounter.PrunedTokens"/>).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="minCount"/> &lt; 1, <paramref name="maxWords"/> &lt; 1 or <paramref name="unknown"/> &lt; 0.</exception>
    public static Vocabulary FromCounts(IReadOnlyDictionary<string, long> counts, long unknown, int minCount, int? maxWords = null)
    {
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentOutOfRangeException.ThrowIfLessThan(minCount, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(unknown);
        long effective = minCount;
        if (maxWords is { } max)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(max, 1, nameof(maxWords));
            var sorted = counts.Where(e => e.Key != UnknownWord).Select(e => e.Value).ToArray();
            if (sorted.Length > max)
            {
                Array.Sort(sorted, (x, y) => y.CompareTo(x));
                effective = Math.Max(effective, sorted[max] + 1);
            }
        }
        return Create(counts, unknown, effective, int.MaxValue);
    }

    // Words seen at least minCount times by descending count (ties by ordinal order), at most keep of them, after UNK.
    private static Vocabulary Create(IReadOnlyDictionary<string, long> counts, long unknown, long minCount, int keep)
    {
        unknown += counts.GetValueOrDefault(UnknownWord);
        var ranked = counts.Where(entry => entry.Value >= minCount && entry.Key != UnknownWord).ToList();
        ranked.Sort((x, y) => x.Value != y.Value ? y.Value.CompareTo(x.Value) : string.CompareOrdinal(x.Key, y.Key));
        keep = Math.Min(ranked.Count, keep);

        var words = new string[keep + 1];
        var kept = new long[keep + 1];
        words[UnknownId] = UnknownWord;
        for (int i = 0; i < keep; i++)
        {
            words[i + 1] = ranked[i].Key;
            kept[i + 1] = ranked[i].Value;
        }
        long dropped = counts.Where(e => e.Key != UnknownWord).Sum(e => e.Value) - kept.Sum();
        kept[UnknownId] = unknown + dropped;
        return new Vocabulary(words, kept);
    }

    /// <summary>Number of entries, <see cref="UnknownWord"/> included.</summary>
    public int Count => _words.Length;

    /// <summary>Sum of all counts: the number of tokens the vocabulary was built from.</summary>
    public long TotalCount { get; }

    /// <summary>Words by id.</summary>
    public IReadOnlyList<string> Words => _words;

    /// <summary>Counts by id (id 0: all dropped tokens together).</summary>
    public IReadOnlyList<long> Counts => _counts;

    /// <summary>The word with id <paramref name="id"/>.</summary>
    public string this[int id] => (uint)id < (uint)_words.Length
        ? _words[id]
        : throw new ArgumentOutOfRangeException(nameof(id), id, $"vocabulary has ids 0..{_words.Length - 1}");

    /// <summary>The id of <paramref name="word"/> (exact, ordinal match), or <see cref="UnknownId"/> if it is not kept.</summary>
    public int IdOf(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        return IdOf(word.AsSpan());
    }

    /// <summary>The id of <paramref name="word"/> (exact, ordinal match), or <see cref="UnknownId"/> if it is not kept; no string is made (see <see cref="TokenSpans"/>).</summary>
    public int IdOf(ReadOnlySpan<char> word) => Math.Max(_ids.IndexOf(word), UnknownId);

    /// <summary>The id of the word whose UTF-8 bytes are <paramref name="word"/> (exact match), or <see cref="UnknownId"/> if it is not kept: the streaming passes' lookup (see <see cref="Utf8TokenSpans"/>).</summary>
    public int IdOf(ReadOnlySpan<byte> word) => Math.Max(_ids.IndexOf(word), UnknownId);

    /// <summary>True and the id if <paramref name="word"/> is in the vocabulary (<see cref="UnknownWord"/> included).</summary>
    public bool TryGetId(string word, out int id)
    {
        ArgumentNullException.ThrowIfNull(word);
        int index = _ids.IndexOf(word);
        id = Math.Max(index, UnknownId);
        return index >= 0;
    }

    /// <summary>Token ids in order; tokens not in the vocabulary become <see cref="UnknownId"/>.</summary>
    public int[] Encode(IEnumerable<string> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var ids = new List<int>(tokens is ICollection<string> c ? c.Count : 1 << 16);
        foreach (var token in tokens) ids.Add(IdOf(token));
        return ids.ToArray();
    }
}
