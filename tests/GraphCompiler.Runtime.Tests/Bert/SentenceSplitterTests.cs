using GraphCompiler.Runtime.Bert;

namespace GraphCompiler.Runtime.Tests.Bert;

public class SentenceSplitterTests
{
    [Fact]
    public void Splits_at_sentence_ends_followed_by_a_capital_or_a_quote()
    {
        var text = "Mr. Darcy came in. She left the room! Did he follow? \"Yes,\" said\nElinor. \"Go.\" 3 days passed. Oh! the sea.";
        Assert.Equal([
            "Mr. Darcy came in.",
            "She left the room!",
            "Did he follow?",
            "\"Yes,\" said Elinor.",
            "\"Go.\"",
            "3 days passed.",
            "Oh! the sea.",
        ], SentenceSplitter.Split(text));
    }

    [Fact]
    public void Initials_and_abbreviations_do_not_end_sentences_but_I_does()
    {
        Assert.Equal(["J. R. Smith met Mrs. Jennings and St. Paul, etc. Then left."], SentenceSplitter.Split("J. R. Smith met Mrs. Jennings and St. Paul, etc. Then left."));
        Assert.Equal(["So said I.", "Then he went."], SentenceSplitter.Split("So said I. Then he went."));
    }

    [Fact]
    public void A_blank_line_ends_a_sentence_and_wrapped_lines_are_joined()
    {
        var text = "CHAPTER 1\n\n\nThe family of Dashwood had long\nbeen settled in Sussex.  Their estate\nwas large\n\nand so";
        Assert.Equal(["CHAPTER 1", "The family of Dashwood had long been settled in Sussex.", "Their estate was large", "and so"],
            SentenceSplitter.Split(text));
    }
}
