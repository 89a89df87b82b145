using System.IO.Compression;
using System.Text;
using GraphCompiler.Runtime.Text;

namespace GraphCompiler.Runtime.Tests.Text;

/// <summary>The span-based tokenizer gives exactly the tokens of the string-per-token reference, and lookups by span agree with lookups by string.</summary>
public class SpanTokenizerTests
{
    // Characters that exercise every branch: ASCII word and separator characters, both apostrophes, Latin-1 and other
    // BMP letters (title case, modifier letters, Turkish dotted I), combining and enclosing marks, non-ASCII digits,
    // supplementary letters, marks and digits (surrogate pairs), a supplementary symbol, lone surrogates, line breaks.
    private static readonly string[] Pieces =
    [
        "a", "Z", "q", "7", "0", " ", "\t", "-", "_", ".", ",", "'", "\u2019", "`", "^", "\r", "\n",
        "É", "ß", "ª", "º", "µ", "ÿ", "Ω", "Я", "ǅ", "ʰ", "İ", "ı", "中", "\u0301", "\u0903", "\u20DD", "٣", "\u00B2", "\u2160",
        "\U00010400", "\U00010428", "\U0001D400", "\U0001D7CE", "\U0001E900", "\U000110B9", "\U0001F600",
        "\uD800", "\uDC00", "\uFEFF", "\u00A0", "\u2014",
    ];

    private static string RandomText(Random rng, int pieces)
    {
        var text = new StringBuilder();
        for (int i = 0; i < pieces; i++)
            text.Append(rng.Next(4) == 0 ? ((char)rng.Next(0x10000)).ToString() : Pieces[rng.Next(Pieces.Length)]);
        return text.ToString();
    }

    private static List<string> Spans(string text)
    {
        var spans = new TokenSpans();
        Tokenizer.Tokenize(text, spans);
        var tokens = new List<string>();
        foreach (var token in spans) tokens.Add(new string(token));
        return tokens;
    }

    [Fact]
    public void Random_mixed_unicode_text_gives_the_reference_tokens()
    {
        var rng = new Random(23);
        for (int trial = 0; trial < 20_000; trial++)
        {
            string text = RandomText(rng, rng.Next(0, 40));
            var expected = ReferenceTokenizer.Tokenize(text);
            Assert.Equal(expected, Spans(text));
            Assert.Equal(expected, Tokenizer.Tokenize(text));
        }
    }

    [Fact]
    public void The_shipped_corpus_gives_the_reference_tokens_line_by_line_and_in_one_reused_buffer()
    {
        using var gzip = new GZipStream(File.OpenRead(TestRepository.File("samples", "Word2Vec", "data", "corpus.txt.gz")), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        var spans = new TokenSpans();
        var expected = new List<string>();
        long tokens = 0;
        while (reader.ReadLine() is { } line)
        {
            var reference = ReferenceTokenizer.Tokenize(line);
            Assert.Equal(reference, Tokenizer.Tokenize(line));
            // Appending many lines to one buffer grows it; every span must still read back as its token.
            expected.AddRange(reference);
            Tokenizer.Tokenize(line, spans);
            if (expected.Count < 5_000) continue;
            Assert.Equal(expected.Count, spans.Count);
            for (int i = 0; i < spans.Count; i++) Assert.Equal(expected[i], new string(spans[i]));
            tokens += expected.Count;
            expected.Clear();
            spans.Clear();
        }
        Assert.True(tokens > 1_800_000, $"only {tokens} tokens compared");
    }

    [Fact]
    public void The_corpus_reader_gives_the_same_tokens_as_spans_and_as_strings()
    {
        var corpus = Corpus.Open(TestRepository.File("samples", "Word2Vec", "data", "corpus.txt.gz"));
        using var strings = corpus.OpenReader(corpus.Whole);
        using var spans = corpus.OpenReader(corpus.Whole);
        var list = new List<string>();
        var buffer = new TokenSpans();
        for (int record = 0; record < 2_000; record++)
        {
            list.Clear();
            buffer.Clear();
            Assert.Equal(strings.Read(list), spans.Read(buffer));
            Assert.Equal(list, [.. Enumerable.Range(0, buffer.Count).Select(i => new string(buffer[i]))]);
            Assert.Equal(strings.Position, spans.Position);
        }
    }

    [Fact]
    public void Span_lookups_and_span_counting_agree_with_strings()
    {
        var tokens = Corpus.Open(TestRepository.File("samples", "Word2Vec", "data", "corpus.txt.gz")).Tokens().Take(50_000).ToList();
        var vocabulary = Vocabulary.Build(tokens, minCount: 3);
        foreach (var word in tokens.Concat(["UNK", "", "never-a-token", "Word"]))
            Assert.Equal(vocabulary.IdOf(word), vocabulary.IdOf(word.AsSpan()));

        var counter = new VocabularyCounter();
        foreach (var word in tokens) counter.Add(word.AsSpan());
        var fromStrings = new VocabularyCounter();
        fromStrings.AddRange(tokens);
        Assert.Equal(fromStrings.Counts.OrderBy(e => e.Key, StringComparer.Ordinal), counter.Counts.OrderBy(e => e.Key, StringComparer.Ordinal));
        Assert.Equal(tokens.Count, counter.TotalTokens);
    }

    [Fact]
    public void Indexing_past_the_tokens_is_rejected()
    {
        var spans = new TokenSpans();
        Tokenizer.Tokenize("one two", spans);
        Assert.Equal("two", new string(spans[1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => spans[2].Length);
        spans.Clear();
        Assert.Equal(0, spans.Count);
    }
}
