using GraphCompiler.Runtime.Text;

namespace GraphCompiler.Runtime.Tests.Text;

public class TokenizerTests
{
    [Theory]
    [InlineData("Hello, World! It's 42.", new[] { "hello", "world", "it's", "42" })]
    [InlineData("Don’t say “no”.", new[] { "don't", "say", "no" })]
    [InlineData("'Tis the lovers' hour", new[] { "tis", "the", "lovers", "hour" })]
    [InlineData("ago--never twenty-one", new[] { "ago", "never", "twenty", "one" })]
    [InlineData("_italic_ and*bold* 3.14", new[] { "italic", "and", "bold", "3", "14" })]
    [InlineData("  \t tabs\tand   spaces  ", new[] { "tabs", "and", "spaces" })]
    [InlineData("rock 'n' roll o''clock", new[] { "rock", "n", "roll", "o", "clock" })]
    [InlineData("Café NAÏVE École", new[] { "café", "naïve", "école" })]
    public void Splits_lowercases_and_strips_punctuation(string text, string[] expected)
    {
        Assert.Equal(expected, Tokenizer.Tokenize(text));
    }

    [Fact]
    public void Keeps_combining_marks_and_supplementary_letters_inside_words()
    {
        // "e" + COMBINING ACUTE ACCENT; DESERET CAPITAL LETTER LONG I (U+10400) lowers to U+10428.
        Assert.Equal(["cafe\u0301", "\U00010428x"], Tokenizer.Tokenize("CAFE\u0301, \U00010400X!"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("--- ... !!! ''")]
    public void Text_without_word_characters_has_no_tokens(string text)
    {
        Assert.Empty(Tokenizer.Tokenize(text));
    }

    [Fact]
    public void Appends_to_an_existing_list()
    {
        var into = new List<string> { "first" };
        Tokenizer.Tokenize("Second third", into);
        Assert.Equal(["first", "second", "third"], into);
    }
}
