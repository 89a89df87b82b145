using System.IO.Compression;
using System.Text;
using GraphCompiler.Runtime.Text;

namespace GraphCompiler.Runtime.Tests.Text;

/// <summary>
/// The byte tokenizer gives exactly the reference tokenizer's tokens (as UTF-8), the corpus reader's byte path the
/// tokens and errors of its character path, and counting and lookups by bytes what they give by strings.
/// </summary>
public class Utf8TokenizerTests
{
    // Every branch of the rule, in UTF-8's one- to four-byte forms: ASCII word characters and separators, both
    // apostrophes, letters whose lower case is longer or shorter in UTF-8 (U+023A → U+2C65, U+0130 → U+0069, U+1E9E → U+00DF),
    // marks, non-ASCII digits, supplementary letters, marks and digits, a supplementary symbol, and odd whitespace
    // (vertical tab, form feed, NEL, no-break and ideographic spaces, line and paragraph separators, the BOM).
    private static readonly string[] Pieces =
    [
        "a", "Z", "q", "7", "0", " ", "\t", "-", "_", ".", ",", "'", "\u2019", "`", "^",
        "É", "ß", "ª", "º", "µ", "ÿ", "Ω", "Я", "ǅ", "ʰ", "İ", "ı", "\u023A", "\u1E9E", "中", "\u0301", "\u0903", "\u20DD", "٣", "\u00B2", "\u2160",
        "\U00010400", "\U00010428", "\U0001D400", "\U0001D7CE", "\U0001E900", "\U000110B9", "\U0001F600",
        "\v", "\f", "\u0085", "\u00A0", "\u3000", "\u2028", "\u2029", "\uFEFF", "\u2014", "\uFFFD",
    ];

    private static string RandomText(Random rng, int pieces)
    {
        var text = new StringBuilder();
        for (int i = 0; i < pieces; i++)
        {
            // A random BMP character now and then; a lone surrogate has no UTF-8 form, so it stands as U+FFFD.
            char c = (char)rng.Next(0x10000);
            text.Append(rng.Next(4) != 0 ? Pieces[rng.Next(Pieces.Length)] : char.IsSurrogate(c) ? "\uFFFD" : c.ToString());
        }
        return text.ToString();
    }

    private static List<string> Tokens(ReadOnlySpan<byte> utf8)
    {
        var spans = new Utf8TokenSpans();
        Utf8Tokenizer.Tokenize(utf8, spans);
        var tokens = new List<string>();
        foreach (var token in spans) tokens.Add(Encoding.UTF8.GetString(token));
        return tokens;
    }

    [Fact]
    public void Random_unicode_text_gives_the_reference_tokens()
    {
        var rng = new Random(41);
        for (int trial = 0; trial < 20_000; trial++)
        {
            string text = RandomText(rng, rng.Next(0, 40));
            Assert.Equal(ReferenceTokenizer.Tokenize(text), Tokens(Encoding.UTF8.GetBytes(text)));
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("a")]
    [InlineData("'")]
    [InlineData("'a")]
    [InlineData("a'")]
    [InlineData("a''b")]
    [InlineData("a'b'c")]
    [InlineData("Don\u2019t")]
    [InlineData("don\u2019\u2019t")]
    [InlineData("a\u2019")]
    [InlineData("a'\u00E9")]
    [InlineData("a'\U00010400x")]
    [InlineData("x\u0301'y")]
    [InlineData("ÉCOLE\u00A0d'ÉTÉ")]
    [InlineData("\uFEFFstart")]
    [InlineData("İSTANBUL \u023A\u1E9E")]
    [InlineData("  \v\f\u0085\u3000 ")]
    public void Edge_cases_give_the_reference_tokens(string text) =>
        Assert.Equal(ReferenceTokenizer.Tokenize(text), Tokens(Encoding.UTF8.GetBytes(text)));

    [Theory]
    [InlineData(new byte[] { 0x80 })]                     // a continuation byte alone
    [InlineData(new byte[] { 0xC3 })]                     // a two-byte form cut short
    [InlineData(new byte[] { 0xE2, 0x80, 0x61 })]         // a three-byte form cut by ASCII
    [InlineData(new byte[] { 0xC0, 0xAF })]               // an overlong form
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })]         // an encoded surrogate
    [InlineData(new byte[] { 0xF4, 0x90, 0x80, 0x80 })]   // past U+10FFFF
    [InlineData(new byte[] { 0xFF })]
    public void Invalid_utf8_is_refused_by_the_tokenizer_and_named_by_both_reader_paths(byte[] bad)
    {
        Assert.Throws<ArgumentException>(() => Tokens(bad));

        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("bad.txt"), [.. "good line\nword "u8, .. bad, .. " more\n"u8]);
        var corpus = Corpus.Open(dir.File("bad.txt"));
        InputFileException ReadAll(Func<CorpusReader, bool> read) => Assert.Throws<InputFileException>(() =>
        {
            using var reader = corpus.OpenReader(corpus.Whole);
            while (read(reader)) { }
        });
        var chars = ReadAll(reader => reader.Read(new TokenSpans()));
        var bytes = ReadAll(reader => reader.Read(new Utf8TokenSpans()));
        Assert.Equal(chars.Reason, bytes.Reason);
        Assert.Equal(2, bytes.Line);
        Assert.Contains("byte 15 is not valid UTF-8", bytes.Reason);
    }

    [Fact]
    public void The_shipped_corpus_gives_the_same_tokens_and_positions_by_bytes_as_by_characters()
    {
        var corpus = Corpus.Open(TestRepository.File("samples", "Word2Vec", "data", "corpus.txt.gz"));
        using var chars = corpus.OpenReader(corpus.Whole);
        using var bytes = corpus.OpenReader(corpus.Whole);
        var charTokens = new TokenSpans();
        var byteTokens = new Utf8TokenSpans();
        long tokens = 0;
        while (true)
        {
            bool more = chars.Read(charTokens);
            Assert.Equal(more, bytes.Read(byteTokens));
            Assert.Equal(chars.Position, bytes.Position);
            if (!more) break;
            Assert.Equal(charTokens.Count, byteTokens.Count);
            for (int i = 0; i < charTokens.Count; i++) Assert.Equal(new string(charTokens[i]), Encoding.UTF8.GetString(byteTokens[i]));
            tokens += charTokens.Count;
            charTokens.Clear();
            byteTokens.Clear();
        }
        Assert.True(tokens > 1_800_000, $"only {tokens} tokens compared");
    }

    [Fact]
    public void Streamed_counts_by_bytes_are_the_in_memory_counts_and_lookups_by_bytes_the_ids()
    {
        var corpus = Corpus.Open(TestRepository.File("samples", "Word2Vec", "data", "corpus.txt.gz"));
        var tokens = corpus.Tokens().ToList();
        var counter = new VocabularyCounter();
        using (var reader = corpus.OpenReader(corpus.Whole)) counter.AddRange(reader);
        var expected = tokens.CountBy(t => t, StringComparer.Ordinal).Select(e => KeyValuePair.Create(e.Key, (long)e.Value));
        Assert.Equal(expected.OrderBy(e => e.Key, StringComparer.Ordinal), counter.Counts.OrderBy(e => e.Key, StringComparer.Ordinal));
        Assert.Equal(tokens.Count, counter.TotalTokens);

        var vocabulary = Vocabulary.Build(tokens, minCount: 5);
        Assert.Equal(vocabulary.Words, counter.ToVocabulary(minCount: 5).Words);
        foreach (var word in tokens.Take(100_000).Concat(["UNK", "", "never-a-token", "Word", "stra\u00DFe"]))
            Assert.Equal(vocabulary.IdOf(word), vocabulary.IdOf(Encoding.UTF8.GetBytes(word)));
    }
}
