using GraphCompiler.Runtime.Text;

namespace GraphCompiler.Runtime.Tests.Text;

/// <summary>The corpus the Word2Vec sample ships: its size is what its README claims.</summary>
public class ShippedCorpusTests
{
    // The figures in samples/Word2Vec/data/README.md; update both together.
    private const int DocumentedTokens = 1_868_780;
    private const int DocumentedDistinct = 30_663;
    private const int DocumentedAtLeastFive = 12_278;

    [Fact]
    public void Has_the_documented_number_of_tokens_and_words()
    {
        var path = TestRepository.File("samples", "Word2Vec", "data", "corpus.txt.gz");
        Assert.True(new FileInfo(path).Length < 10_000_000, "the shipped corpus must stay well under 10 MB");

        var vocabulary = Vocabulary.Build(Corpus.Open(path).Tokens(), minCount: 1);

        Assert.Equal(DocumentedTokens, vocabulary.TotalCount);
        Assert.Equal(DocumentedDistinct, vocabulary.Count - 1);
        Assert.Equal(0, vocabulary.Counts[Vocabulary.UnknownId]);
        Assert.Equal(DocumentedAtLeastFive, vocabulary.Counts.Count(count => count >= 5));
        // Natural English prose: the most frequent words are function words, and the words of the
        // classic analogy questions are there.
        Assert.Equal(["the", "and", "of", "to"], vocabulary.Words.Skip(1).Take(4));
        foreach (var word in new[] { "king", "queen", "man", "woman", "brother", "sister", "father", "mother" })
            Assert.True(vocabulary.Counts[vocabulary.IdOf(word)] >= 100, $"'{word}' is rare or missing in the corpus");
    }
}
