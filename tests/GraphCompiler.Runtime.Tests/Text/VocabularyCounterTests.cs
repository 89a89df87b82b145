using GraphCompiler.Runtime.Text;

namespace GraphCompiler.Runtime.Tests.Text;

public class VocabularyCounterTests
{
    [Fact]
    public void Uncapped_counts_match_an_in_memory_count()
    {
        var tokens = Corpus.Open(TestRepository.File("samples", "Word2Vec", "data", "corpus.txt.gz")).Tokens().Take(200_000).ToList();
        var counter = new VocabularyCounter();
        counter.AddRange(tokens);
        var expected = tokens.CountBy(t => t, StringComparer.Ordinal).Select(e => KeyValuePair.Create(e.Key, (long)e.Value));
        Assert.Equal(expected.OrderBy(e => e.Key, StringComparer.Ordinal), counter.Counts.OrderBy(e => e.Key, StringComparer.Ordinal));
        Assert.Equal(0, counter.PruneThreshold);
        Assert.Equal(tokens.Count, counter.TotalTokens);

        // Without a cut the gensim-style vocabulary is the one Build makes from the whole list.
        var streamed = counter.ToVocabulary(minCount: 5);
        var built = Vocabulary.Build(tokens, minCount: 5);
        Assert.Equal(built.Words, streamed.Words);
        Assert.Equal(built.Counts, streamed.Counts);
    }

    [Fact]
    public void A_corpus_larger_than_the_cap_is_counted_within_it()
    {
        // 30,000 lines, each with the 20 frequent words and 4 words seen nowhere else: 120,020 distinct words
        // streamed from a file through a counter that may hold 1,000.
        using var dir = new TempDirectory();
        string[] frequent = [.. Enumerable.Range(0, 20).Select(i => "f" + i)];
        using (var writer = new StreamWriter(dir.File("big.txt")))
            for (int line = 0; line < 30_000; line++)
                writer.WriteLine(string.Join(' ', frequent.Take(line % 20 + 1).Concat(Enumerable.Range(0, 4).Select(k => $"r{line}x{k}")).Concat(frequent.Skip(line % 20 + 1))));
        var counter = new VocabularyCounter(maxEntries: 1_000);
        using (var reader = Corpus.Open(dir.File("big.txt")).OpenReader(Corpus.Open(dir.File("big.txt")).Whole)) counter.AddRange(reader);

        Assert.InRange(counter.PeakEntries, 21, 1_000);
        Assert.True(counter.PruneThreshold >= 1);
        Assert.Equal(30_000L * 24, counter.TotalTokens);
        Assert.All(frequent, word => Assert.Equal(30_000, counter.Counts[word]));
        Assert.Equal(counter.TotalTokens, counter.Counts.Values.Sum() + counter.PrunedTokens);

        var vocabulary = counter.ToVocabulary(minCount: 2);
        Assert.Equal(["UNK", .. frequent.Order(StringComparer.Ordinal)], vocabulary.Words);
        Assert.Equal(30_000L * 4, vocabulary.Counts[Vocabulary.UnknownId]);
        Assert.Equal(counter.TotalTokens, vocabulary.TotalCount);
    }

    [Fact]
    public void Pruning_drops_the_words_at_or_below_a_rising_threshold()
    {
        var counter = new VocabularyCounter(maxEntries: 3);
        counter.AddRange(["a", "a", "a", "b", "b", "c"]);
        counter.Add("d");   // full: drop count ≤ 1 (c)
        Assert.Equal(1, counter.PruneThreshold);
        Assert.Equal(["a", "b", "d"], counter.Counts.Keys.Order(StringComparer.Ordinal));
        counter.Add("e");   // full: drop ≤ 2 (b, d)
        Assert.Equal(2, counter.PruneThreshold);
        Assert.Equal(new Dictionary<string, long> { ["a"] = 3, ["e"] = 1 }, counter.Counts.ToDictionary());
        Assert.Equal(4, counter.PrunedTokens);
        Assert.Equal(3, counter.PeakEntries);
    }

    // VocabularyTests.Tokens: a×3, b×2, c×1, d×1, e×2.
    [Theory]
    [InlineData(1, 5, new[] { "UNK", "a", "b", "e", "c", "d" })]   // 5 words fit
    [InlineData(1, 3, new[] { "UNK", "a", "b", "e" })]             // the 4th has count 1: min count 2
    [InlineData(1, 2, new[] { "UNK", "a" })]                       // the 3rd (e) ties b at 2: both go, as in gensim
    [InlineData(3, 5, new[] { "UNK", "a" })]                       // min count wins when higher
    public void Max_words_is_gensims_max_final_vocab(int minCount, int maxWords, string[] words)
    {
        var counter = new VocabularyCounter();
        counter.AddRange(VocabularyTests.Tokens);
        var vocabulary = counter.ToVocabulary(minCount, maxWords);
        Assert.Equal(words, vocabulary.Words);
        Assert.Equal(VocabularyTests.Tokens.Length, vocabulary.TotalCount);
    }
}
