using GraphCompiler.Runtime.Bert;
using GraphCompiler.Runtime.Tests.Text;
using GraphCompiler.Runtime.Text;

namespace GraphCompiler.Runtime.Tests.Bert;

public class WordPieceTests
{
    private static readonly Lazy<WordPieceVocabulary> Trained = new(() => WordPieceTrainer.Train([ShippedText.Training(600_000)], vocabularySize: 1500));

    [Fact]
    public void Training_reaches_the_size_and_keeps_frequent_words_whole()
    {
        var vocabulary = Trained.Value;
        Assert.Equal(1500, vocabulary.Count);
        Assert.Equal(WordPieceVocabulary.SpecialTokens, vocabulary.Tokens.Take(5));
        foreach (var word in new[] { "the", "and", "of", "her", "elinor", "." , ","})
            Assert.Single(vocabulary.EncodeWord(word));
        // A word that is not in the vocabulary is split into pieces, not lost.
        var pieces = vocabulary.EncodeWord("unaccountableness").Select(id => vocabulary[id]).ToList();
        Assert.True(pieces.Count > 1);
        Assert.DoesNotContain("[UNK]", pieces);
        Assert.All(pieces.Skip(1), piece => Assert.StartsWith("##", piece));
        Assert.Equal("unaccountableness", string.Concat(pieces).Replace("##", ""));
    }

    [Fact]
    public void Training_is_deterministic()
    {
        var text = ShippedText.Training(100_000);
        Assert.Equal(WordPieceTrainer.Train([text], 400).Tokens, WordPieceTrainer.Train([text], 400).Tokens);
    }

    [Fact]
    public void Held_out_text_round_trips_through_the_pieces()
    {
        var vocabulary = Trained.Value;
        var seen = BasicTokenizer.Split(ShippedText.Training(600_000)).SelectMany(w => w).ToHashSet();
        int words = 0, unknown = 0, sentences = 0;
        foreach (var sentence in SentenceSplitter.Split(ShippedText.HeldOut(200_000)))
        {
            var ids = vocabulary.Encode(sentence);
            var expected = BasicTokenizer.Split(sentence);
            words += expected.Count;
            foreach (var word in expected.Where(w => vocabulary.EncodeWord(w).Contains(WordPieceVocabulary.UnknownId)))
            {
                // Only a character the training text never had makes a word unknown (the Bible's curly quotes).
                Assert.Contains(word, w => !seen.Contains(w));
                unknown++;
            }
            if (ids.Contains(WordPieceVocabulary.UnknownId)) continue;
            Assert.Equal(string.Join(' ', expected), vocabulary.Decode(ids));
            sentences++;
        }
        Assert.True(words > 30_000 && sentences > 1_000, $"only {words} held-out words, {sentences} sentences without [UNK]");
        Assert.True(unknown < words / 20, $"{unknown} of {words} held-out words are [UNK]");
    }

    [Fact]
    public void Text_never_produces_special_tokens()
    {
        var vocabulary = Trained.Value;
        var ids = vocabulary.Encode("[CLS] she said [MASK] and [SEP] [PAD]");
        Assert.DoesNotContain(ids, id => WordPieceVocabulary.IsSpecial(id));
        Assert.Equal("[ cls ] she said [ mask ] and [ sep ] [ pad ]", vocabulary.Decode(ids));
    }

    [Fact]
    public void Unknown_characters_and_overlong_words_are_one_unknown_token()
    {
        var vocabulary = Trained.Value;
        Assert.Equal([WordPieceVocabulary.UnknownId], vocabulary.EncodeWord("ab\u4E2Dcd"));   // a CJK character inside a word
        Assert.Equal([WordPieceVocabulary.UnknownId], vocabulary.EncodeWord(new string('a', WordPieceVocabulary.MaxWordLength + 1)));
        var ids = vocabulary.Encode("the \u4E2D house");
        Assert.Equal(3, ids.Length);
        Assert.Equal(WordPieceVocabulary.UnknownId, ids[1]);
        Assert.Equal("the [UNK] house", vocabulary.Decode(ids));
    }

    [Fact]
    public void Basic_tokenizer_splits_punctuation_lowercases_and_strips_accents()
    {
        Assert.Equal(["“", "don", "’", "t", ",", "”", "said", "emma", "."], BasicTokenizer.Split("“Don’t,” said Emma."));
        Assert.Equal(["cafe", "na", "-", "ive", "$", "5"], BasicTokenizer.Split("Café  na-ïve\t$5"));
        Assert.Empty(BasicTokenizer.Split(" \n\t "));
    }

    [Fact]
    public void Greedy_longest_match_first()
    {
        var vocabulary = new WordPieceVocabulary(["un", "unaff", "##aff", "##able", "##a", "##b", "##l", "##e", "a"]);
        // Greedy, not the fewest pieces: "unaff" wins over "un ##aff".
        Assert.Equal("unaff ##able", string.Join(' ', vocabulary.EncodeWord("unaffable").Select(id => vocabulary[id])));
        Assert.Equal([WordPieceVocabulary.UnknownId], vocabulary.EncodeWord("unx"));
        Assert.Equal([WordPieceVocabulary.UnknownId], vocabulary.EncodeWord("b"));   // "##b" cannot start a word
    }

    [Fact]
    public void Save_and_load_round_trip()
    {
        using var directory = new TempDirectory();
        var path = directory.File("vocab.txt");
        Trained.Value.Save(path);
        var loaded = WordPieceVocabulary.Load(path);
        Assert.Equal(Trained.Value.Tokens, loaded.Tokens);
        Assert.Equal(File.ReadAllLines(path), loaded.Tokens);
        var text = ShippedText.HeldOut(2_000);
        Assert.Equal(Trained.Value.Encode(text), loaded.Encode(text));
    }

    [Theory]
    [InlineData("[PAD]\n[UNK]\n[CLS]\n[MASK]\n[SEP]\nthe\n", 4, "expected [SEP]")]
    [InlineData("[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nthe\n\nof\n", 7, "empty token")]
    [InlineData("[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nthe\nof\nthe\n", 8, "appears twice")]
    [InlineData("[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nthe\n[CLS]\n", 7, "special token")]
    [InlineData("[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nt he\n", 6, "whitespace")]
    public void Load_names_the_file_and_line_of_a_bad_token(string content, int line, string reason)
    {
        using var directory = new TempDirectory();
        var path = directory.File("vocab.txt");
        File.WriteAllText(path, content);
        var e = Assert.Throws<InputFileException>(() => WordPieceVocabulary.Load(path));
        Assert.Equal(path, e.FilePath);
        Assert.Equal(line, e.Line);
        Assert.Contains(reason, e.Reason);
    }

    [Fact]
    public void Load_of_a_missing_file_or_one_without_the_special_tokens_fails()
    {
        using var directory = new TempDirectory();
        Assert.Throws<FileNotFoundException>(() => WordPieceVocabulary.Load(directory.File("none.txt")));
        var path = directory.File("short.txt");
        File.WriteAllText(path, "[PAD]\n[UNK]\n");
        Assert.Contains("special tokens", Assert.Throws<InputFileException>(() => WordPieceVocabulary.Load(path)).Message);
    }
}
