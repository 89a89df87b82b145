using GraphCompiler.Runtime.Bert;

namespace GraphCompiler.Runtime.Tests.Bert;

public class SentencePairsTests
{
    // Document d's sentence s is [1000 d + s, ...] (length 1 + s mod 7), so a pair tells where its parts came from.
    internal static IReadOnlyList<IReadOnlyList<int[]>> Documents(int documents, int sentences) =>
        [.. Enumerable.Range(0, documents).Select(d => (IReadOnlyList<int[]>)[.. Enumerable.Range(0, sentences)
            .Select(s => Enumerable.Repeat(1000 * d + s + WordPieceVocabulary.SpecialCount, 1 + s % 7).ToArray())])];

    [Fact]
    public void Half_the_pairs_are_consecutive_and_half_come_from_another_document()
    {
        var pairs = SentencePairs.Build(Documents(20, 1000), sequenceLength: 64, seed: 7);
        Assert.Equal(20 * 999, pairs.Count);
        int next = pairs.Count(p => p.IsNext);
        double sigma = Math.Sqrt(pairs.Count * 0.25);
        Assert.InRange(next, pairs.Count / 2.0 - 5 * sigma, pairs.Count / 2.0 + 5 * sigma);
        foreach (var pair in pairs)
        {
            int a = pair.First[0] - WordPieceVocabulary.SpecialCount, b = pair.Second[0] - WordPieceVocabulary.SpecialCount;
            if (pair.IsNext) Assert.Equal(a + 1, b);
            else Assert.NotEqual(a / 1000, b / 1000);
            Assert.Equal(pair.IsNext ? 0 : 1, pair.NextSentenceLabel);
        }
        // Random second sentences come from every other document and every position in it.
        var randomDocuments = pairs.Where(p => !p.IsNext).Select(p => (p.Second[0] - WordPieceVocabulary.SpecialCount) / 1000).Distinct().Count();
        Assert.Equal(20, randomDocuments);
    }

    [Fact]
    public void The_same_seed_gives_the_same_pairs_and_another_seed_others()
    {
        var documents = Documents(5, 200);
        static string Key(List<SentencePair> pairs) => string.Join(";", pairs.Select(p => $"{string.Join(',', p.First)}|{string.Join(',', p.Second)}|{p.IsNext}"));
        Assert.Equal(Key(SentencePairs.Build(documents, 64, 3)), Key(SentencePairs.Build(documents, 64, 3)));
        Assert.NotEqual(Key(SentencePairs.Build(documents, 64, 3)), Key(SentencePairs.Build(documents, 64, 4)));
    }

    [Fact]
    public void Long_pairs_lose_tokens_from_the_longer_segment()
    {
        IReadOnlyList<IReadOnlyList<int[]>> documents = [
            [Enumerable.Range(10, 30).ToArray(), Enumerable.Range(100, 5).ToArray()],
            [[7]],
        ];
        var pairs = SentencePairs.Build(documents, sequenceLength: 16, seed: 0);
        var consecutive = SentencePairs.Build(documents, 16, seed: Enumerable.Range(0, 64).Select(s => (ulong)s)
            .First(s => SentencePairs.Build(documents, 16, s)[0].IsNext))[0];
        Assert.Single(pairs);
        Assert.Equal(Enumerable.Range(10, 8), consecutive.First);   // 13 tokens of room: the longer first segment is cut to 8
        Assert.Equal(Enumerable.Range(100, 5), consecutive.Second);
        Assert.True(pairs[0].First.Length + pairs[0].Second.Length <= 13);
    }

    [Fact]
    public void One_document_is_not_enough()
    {
        Assert.Throws<ArgumentException>(() => SentencePairs.Build(Documents(1, 10), 64, 0));
    }
}
