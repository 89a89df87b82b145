using System.Text;
using GraphCompiler.Runtime.Text;

namespace GraphCompiler.Runtime.Tests.Text;

/// <summary>The vocabulary's open-addressing table gives exactly the indices a <see cref="Dictionary{TKey, TValue}"/> of the same words gives.</summary>
public class WordTableTests
{
    private static Dictionary<string, int> Reference(IReadOnlyList<string> words) =>
        words.Select((word, index) => KeyValuePair.Create(word, index)).ToDictionary(StringComparer.Ordinal);

    private static void AssertSameAsReference(IReadOnlyList<string> words, IEnumerable<string> queries)
    {
        var table = new WordTable(words);
        var reference = Reference(words);
        foreach (var query in queries)
        {
            int expected = reference.GetValueOrDefault(query, -1);
            Assert.Equal(expected, table.IndexOf(query));
            Assert.Equal(expected, table.IndexOf(Wtf8.GetBytes(query)));
        }
    }

    [Theory]
    [InlineData(1)]   // every word of the corpus: each token is found
    [InlineData(5)]   // the sample's vocabulary: rare tokens are not
    public void Every_token_of_the_shipped_corpus_gets_the_vocabularys_id(int minCount)
    {
        var corpus = Corpus.Open(TestRepository.File("samples", "Word2Vec", "data", "corpus.txt.gz"));
        var counter = new VocabularyCounter();
        using (var reader = corpus.OpenReader(corpus.Whole)) counter.AddRange(reader);
        var vocabulary = counter.ToVocabulary(minCount);
        var reference = Reference(vocabulary.Words);

        using var tokens = corpus.OpenReader(corpus.Whole);
        var spans = new TokenSpans();
        long compared = 0, unknown = 0;
        for (; tokens.Read(spans); spans.Clear())
            foreach (var token in spans)
            {
                int expected = reference.GetValueOrDefault(new string(token), Vocabulary.UnknownId);
                Assert.Equal(expected, vocabulary.IdOf(token));
                compared++;
                if (expected == Vocabulary.UnknownId) unknown++;
            }
        Assert.Equal(counter.TotalTokens, compared);
        Assert.Equal(vocabulary.Counts[Vocabulary.UnknownId], unknown);
    }

    // Random strings over characters that a corpus or a caller may hold: ASCII, Latin-1, other BMP letters, marks,
    // a supplementary pair, lone surrogates, NUL and U+FFFF, in lengths around the hash's four-character blocks.
    private static string RandomWord(Random rng)
    {
        const string Alphabet = "abcxyz019'\u0000\u00E9\u00DF\u0416\u4E2D\u0301\uD800\uDC00\uFFFF";
        var word = new StringBuilder();
        int length = rng.Next(10) == 0 ? rng.Next(0, 200) : rng.Next(0, 10);
        for (int i = 0; i < length; i++)
            word.Append(rng.Next(8) == 0 ? (char)rng.Next(0x10000) : Alphabet[rng.Next(Alphabet.Length)]);
        return word.ToString();
    }

    [Fact]
    public void Random_unicode_words_and_edge_cases_give_the_reference_indices()
    {
        var rng = new Random(23);
        string veryLong = string.Concat(Enumerable.Repeat("antidisestablishmentarianism", 4_000));
        var words = new[] { "", "a", "UNK", "\0", "\0\0\0\0", "abcd", "abcde", veryLong, veryLong[..^1] + "n" }
            .Concat(Enumerable.Range(0, 5_000).Select(_ => RandomWord(rng)))
            .Distinct(StringComparer.Ordinal).ToList();
        var others = Enumerable.Range(0, 20_000).Select(_ => RandomWord(rng));
        // Near misses: each word one character shorter, longer and changed at its end, and the very long word's prefix.
        var nearMisses = words.Where(w => w.Length > 0).SelectMany(w => new[] { w[..^1], w + "a", w[..^1] + (char)(w[^1] ^ 1) });
        AssertSameAsReference(words, [.. words, .. others, .. nearMisses, veryLong[..^1], veryLong + "s", "A", "abc"]);
    }

    [Fact]
    public void Words_with_the_same_hash_are_told_apart_by_their_characters()
    {
        // A birthday search over 400,000 random words finds several pairs whose 32-bit hashes are equal: they start
        // their probe in the same slot and agree on the hash the table compares before characters.
        var rng = new Random(7);
        var seen = new Dictionary<uint, string>();
        var colliding = new List<(string, string)>();
        for (int i = 0; i < 400_000; i++)
        {
            var word = new string([.. Enumerable.Range(0, rng.Next(1, 13)).Select(_ => (char)rng.Next('a', 'z' + 1))]);
            uint hash = WordTable.Hash(Wtf8.GetBytes(word));
            if (!seen.TryAdd(hash, word) && seen[hash] != word) colliding.Add((seen[hash], word));
        }
        Assert.True(colliding.Count >= 3, $"only {colliding.Count} colliding pairs found");

        var both = colliding.SelectMany(pair => new[] { pair.Item1, pair.Item2 }).Distinct(StringComparer.Ordinal).ToList();
        AssertSameAsReference(both, both);
        // Only the first of each pair in the table: the second, same hash, is absent.
        var firsts = colliding.Select(pair => pair.Item1).Distinct(StringComparer.Ordinal).ToList();
        AssertSameAsReference(firsts, both);
    }

    [Fact]
    public void Probes_wrap_around_the_end_of_the_table()
    {
        // Four words whose first slot is the last of the smallest table (8 slots): the later ones wrap to slots 0, 1, 2.
        var rng = new Random(11);
        var lastSlot = Enumerable.Range(0, int.MaxValue).Select(_ => RandomWord(rng)).Where(w => (WordTable.Hash(Wtf8.GetBytes(w)) & 7) == 7)
            .Distinct(StringComparer.Ordinal).Take(5).ToList();
        AssertSameAsReference(lastSlot.Take(4).ToList(), lastSlot);
    }

    [Fact]
    public void An_empty_table_finds_nothing_and_a_repeated_word_is_rejected()
    {
        var empty = new WordTable([]);
        Assert.Equal(-1, empty.IndexOf(""));
        Assert.Equal(-1, empty.IndexOf("the"));
        Assert.Throws<ArgumentException>(() => new WordTable(["the", "of", "the"]));
    }

    [Fact]
    public void A_table_grown_word_by_word_gives_the_reference_indices()
    {
        // From the smallest table (8 slots) through many doublings; each added word is found at once and a repeated
        // one keeps its first index.
        var rng = new Random(29);
        var table = new WordTable();
        var reference = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < 30_000; i++)
        {
            string word = RandomWord(rng);
            int expected = reference.TryGetValue(word, out int index) ? index : reference[word] = reference.Count;
            Assert.Equal(expected, table.Add(Wtf8.GetBytes(word)));
            Assert.Equal(expected, table.IndexOf(word));
        }
        Assert.Equal(reference.Count, table.Count);
        foreach (var (word, index) in reference) Assert.Equal(word, Wtf8.Decode(table.Word(index)));
    }

    [Fact]
    public void The_byte_form_is_utf8_and_tells_every_string_apart()
    {
        var rng = new Random(31);
        var words = Enumerable.Range(0, 20_000).Select(_ => RandomWord(rng)).Concat(["\uD800", "\uDFFF", "\uFFFD", "\uD800\uDC00", "\uDC00\uD800"]).ToList();
        foreach (var word in words)
        {
            var bytes = Wtf8.GetBytes(word);
            Assert.Equal(word, Wtf8.Decode(bytes));
            // Without lone surrogates the form is UTF-8 itself.
            if (Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(word)) == word)
                Assert.Equal(Encoding.UTF8.GetBytes(word), bytes);
        }
        var distinct = words.Distinct(StringComparer.Ordinal).ToList();
        Assert.Equal(distinct.Count, distinct.Select(w => Convert.ToHexString(Wtf8.GetBytes(w))).Distinct().Count());
    }
}
