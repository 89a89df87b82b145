using GraphCompiler.Runtime.Text;

namespace GraphCompiler.Runtime.Tests.Text;

public class VocabularyTests
{
    // a×3, b×2, c×1, d×1, e×2
    internal static readonly string[] Tokens = ["b", "a", "c", "e", "a", "b", "d", "a", "e"];

    [Fact]
    public void Ids_follow_descending_count_with_ordinal_tie_break_after_unk()
    {
        var vocabulary = Vocabulary.Build(Tokens, minCount: 1);
        Assert.Equal(["UNK", "a", "b", "e", "c", "d"], vocabulary.Words);
        Assert.Equal([0L, 3, 2, 2, 1, 1], vocabulary.Counts);
        Assert.Equal(Tokens.Length, vocabulary.TotalCount);
    }

    [Fact]
    public void Order_does_not_depend_on_token_order()
    {
        var forward = Vocabulary.Build(Tokens, minCount: 1);
        var backward = Vocabulary.Build(Tokens.Reverse(), minCount: 1);
        Assert.Equal(forward.Words, backward.Words);
        Assert.Equal(forward.Counts, backward.Counts);
    }

    [Fact]
    public void Words_below_min_count_go_to_unk_with_their_counts()
    {
        var vocabulary = Vocabulary.Build(Tokens, minCount: 2);
        Assert.Equal(["UNK", "a", "b", "e"], vocabulary.Words);
        Assert.Equal([2L, 3, 2, 2], vocabulary.Counts);
        Assert.Equal(Tokens.Length, vocabulary.TotalCount);
    }

    [Fact]
    public void Max_size_counts_unk_and_keeps_the_most_frequent()
    {
        var vocabulary = Vocabulary.Build(Tokens, minCount: 1, maxSize: 3);
        Assert.Equal(["UNK", "a", "b"], vocabulary.Words);
        Assert.Equal([4L, 3, 2], vocabulary.Counts);

        Assert.Equal(["UNK"], Vocabulary.Build(Tokens, minCount: 1, maxSize: 1).Words);
    }

    [Fact]
    public void A_literal_unk_token_is_unknown()
    {
        var vocabulary = Vocabulary.Build(["x", "UNK", "x", "UNK", "UNK"], minCount: 1);
        Assert.Equal(["UNK", "x"], vocabulary.Words);
        Assert.Equal([3L, 2], vocabulary.Counts);
    }

    [Fact]
    public void Encode_and_lookups_agree()
    {
        var vocabulary = Vocabulary.Build(Tokens, minCount: 2);
        Assert.Equal([1, 2, 0, 3, 0], vocabulary.Encode(["a", "b", "c", "e", "zebra"]));
        Assert.Equal(2, vocabulary.IdOf("b"));
        Assert.Equal(Vocabulary.UnknownId, vocabulary.IdOf("c"));
        Assert.True(vocabulary.TryGetId("e", out int e));
        Assert.Equal("e", vocabulary[e]);
        Assert.False(vocabulary.TryGetId("c", out _));
        Assert.Equal("UNK", vocabulary[Vocabulary.UnknownId]);
        Assert.Throws<ArgumentOutOfRangeException>(() => vocabulary[4]);
    }

    [Fact]
    public void Lookups_are_exact_because_tokens_are_already_lower_case()
    {
        var vocabulary = Vocabulary.Build(["word"], minCount: 1);
        Assert.Equal(Vocabulary.UnknownId, vocabulary.IdOf("Word"));
    }

    [Fact]
    public void Bad_arguments_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Vocabulary.Build(Tokens, minCount: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Vocabulary.Build(Tokens, minCount: 1, maxSize: 0));
    }
}
