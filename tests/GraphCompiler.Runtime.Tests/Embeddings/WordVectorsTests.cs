using GraphCompiler.Runtime.Embeddings;

namespace GraphCompiler.Runtime.Tests.Embeddings;

public class WordVectorsTests
{
    [Fact]
    public void Nearest_neighbours_by_cosine_best_first_without_the_word()
    {
        var neighbours = TinyEmbedding.Vectors().NearestNeighbours("king", 3);
        Assert.Equal(["prince", "man", "queen"], neighbours.Select(n => n.Word));
        Assert.Equal([6, 1, 4], neighbours.Select(n => n.Id));
        Assert.Equal(TinyEmbedding.KingPrince, neighbours[0].Similarity, 5);
        Assert.Equal(TinyEmbedding.KingMan, neighbours[1].Similarity, 5);
        Assert.Equal(TinyEmbedding.KingQueen, neighbours[2].Similarity, 5);
    }

    [Fact]
    public void Lookup_is_case_insensitive_and_unknown_words_are_named()
    {
        var vectors = TinyEmbedding.Vectors();
        Assert.Equal("prince", vectors.NearestNeighbours("KING", 1)[0].Word);
        Assert.Equal(TinyEmbedding.KingMan, vectors.Similarity("King", "MAN"), 5);
        var e = Assert.Throws<KeyNotFoundException>(() => vectors.NearestNeighbours("emperor", 1));
        Assert.Contains("'emperor'", e.Message);
    }

    [Fact]
    public void Analogy_finds_queen_and_excludes_the_question_words()
    {
        var vectors = TinyEmbedding.Vectors();
        var answers = vectors.Analogy("man", "king", "woman", 2);
        Assert.Equal("queen", answers[0].Word);
        Assert.Equal(TinyEmbedding.ManKingWomanQueen, answers[0].Similarity, 5);
        Assert.DoesNotContain(answers, a => a.Word is "man" or "king" or "woman");

        // man : king :: man : ? points exactly at king, which is excluded: the next best is prince.
        Assert.Equal("prince", vectors.Analogy("man", "king", "man", 1)[0].Word);
    }

    [Fact]
    public void Ties_go_to_the_lower_id_and_k_may_exceed_the_candidates()
    {
        var vectors = new WordVectors(new EmbeddingMatrix([1, 0, 2, 0, 1, 0, 0, 1], 4, 2), ["a", "b", "c", "d"]);
        var neighbours = vectors.NearestNeighbours("d", 10);
        Assert.Equal(["a", "b", "c"], neighbours.Select(n => n.Word));
        Assert.Equal(["b", "c", "d"], vectors.NearestNeighbours("a", 3).Select(n => n.Word));
    }

    [Fact]
    public void Words_must_match_the_rows()
    {
        Assert.Throws<ArgumentException>(() => new WordVectors(TinyEmbedding.Matrix(), ["only", "two"]));
    }
}
