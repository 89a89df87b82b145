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
    private WordTable _words = new();
    private long[] _counts = new long[1024];   // by the word's index in _words

    /// <param name="maxEntries">The most distinct words held at once (each costs about 30 to 50 bytes: its UTF-8 bytes, slots, count).</param>
    public VocabularyCounter(int maxEntries = int.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEntries, 2);
        MaxEntries = maxEntries;
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

    /// <summary>The counts held now, as a new dictionary (a string per word).</summary>
    public IReadOnlyDictionary<string, long> Counts
    {
        get
        {
            var counts = new Dictionary<string, long>(_words.Count, StringComparer.Ordinal);
            for (int i = 0; i < _words.Count; i++) counts.Add(Wtf8.Decode(_words.Word(i)), _counts[i]);
            return counts;
        }
    }

    /// <summary>Counts one occurrence of <paramref name="token"/>.</summary>
    public void Add(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        Add(token.AsSpan());
    }

    /// <summary>Counts one occurrence of <paramref name="token"/>.</summary>
    public void Add(ReadOnlySpan<char> token)
    {
        int most = Wtf8.MaxBytes(token.Length);
        Span<byte> bytes = most <= 512 ? stackalloc byte[512] : new byte[most];
        Add(bytes[..Wtf8.Encode(token, bytes)]);
    }

    /// <summary>Counts one occurrence of the word whose UTF-8 bytes are <paramref name="token"/> (what <see cref="Utf8Tokenizer"/> writes).</summary>
    public void Add(ReadOnlySpan<byte> token)
    {
        TotalTokens++;
        int index = _words.IndexOf(token);
        if (index < 0)
        {
            while (_words.Count >= MaxEntries) Prune();
            index = _words.Add(token);
            if (index == _counts.Length) Array.Resize(ref _counts, _counts.Length * 2);
            PeakEntries = Math.Max(PeakEntries, _words.Count);
        }
        _counts[index]++;
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
        var tokens = new Utf8TokenSpans();
        while (reader.Read(tokens))
        {
            foreach (var token in tokens) Add(token);
            tokens.Clear();
        }
    }

    /// <summary>The vocabulary of the counts as gensim builds it (see <see cref="Vocabulary.FromCounts"/>); pruned occurrences count as unknown.</summary>
    public Vocabulary ToVocabulary(int minCount, int? maxWords = null) => Vocabulary.FromCounts(Counts, PrunedTokens, minCount, maxWords);

    // Keeps the words above the raised threshold in a new table (a table cannot delete: its probe runs would break).
    private void Prune()
    {
        PruneThreshold++;
        var kept = new WordTable(_words.Count);
        var counts = new long[_counts.Length];
        for (int i = 0; i < _words.Count; i++)
        {
            if (_counts[i] <= PruneThreshold) PrunedTokens += _counts[i];
            else counts[kept.Add(_words.Word(i))] = _counts[i];
        }
        _words = kept;
        _counts = counts;
    }
}
