using GraphCompiler.Runtime.Embeddings;
using GraphCompiler.Runtime.Text;

namespace GraphCompiler.Runtime.Tests.Embeddings;

public class PpmiTests
{
    private const string Text = """
        the king rules the land and the queen rules the sea
        a man and a woman walk to the castle of the king
        the sea is wide and the land is green and the king is old
        """;

    // PPMI straight from the definition on a dense matrix: probabilities, then the logarithm of their ratio.
    private static double[,] Dense(float[,] counts, double alpha, double k)
    {
        int n = counts.GetLength(0);
        double total = 0;
        var row = new double[n];
        var column = new double[n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                total += counts[i, j];
                row[i] += counts[i, j];
                column[j] += counts[i, j];
            }
        double smoothed = column.Sum(c => Math.Pow(c, alpha));
        var ppmi = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                if (counts[i, j] == 0) continue;
                double joint = counts[i, j] / total, word = row[i] / total, context = Math.Pow(column[j], alpha) / smoothed;
                ppmi[i, j] = Math.Max(0, Math.Log(joint / (word * context)) - Math.Log(k));
            }
        return ppmi;
    }

    [Theory]
    [InlineData(0.75, 1.0, 2)]
    [InlineData(1.0, 1.0, 3)]
    [InlineData(0.75, 2.0, 4)]
    public void MatchesADenseComputation(double alpha, double shift, int window)
    {
        var tokens = Corpus.TokensOf(Text).ToList();
        var vocabulary = Vocabulary.Build(tokens, minCount: 1);
        var ids = vocabulary.Encode(tokens);
        var counts = Cooccurrence.Count(ids, vocabulary.Count, window, CooccurrenceWeighting.Harmonic);
        int n = vocabulary.Count;
        var dense = new float[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) dense[i, j] = counts[i, j];
        var expected = Dense(dense, alpha, shift);

        var ppmi = Ppmi.Compute(counts, alpha, shift);
        int positive = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                Assert.True(Math.Abs(expected[i, j] - ppmi[i, j]) <= 1e-5 * (1 + expected[i, j]), $"PPMI[{vocabulary[i]}, {vocabulary[j]}] = {ppmi[i, j]}, dense {expected[i, j]}");
                // Zeros are not stored.
                Assert.Equal(expected[i, j] > 0, ppmi.RowColumns(i).Contains(j));
                if (expected[i, j] > 0) positive++;
            }
        Assert.True(positive > 5, $"the corpus has positive associations ({positive})");
        Assert.True(ppmi.NonZeros <= counts.NonZeros);
    }

    [Fact]
    public void AShiftOnlyRemovesAndLowersEntries()
    {
        var ids = Vocabulary.Build(Corpus.TokensOf(Text), 1).Encode(Corpus.TokensOf(Text));
        var counts = Cooccurrence.Count(ids, ids.Max() + 1, 2, CooccurrenceWeighting.Flat);
        var plain = Ppmi.Compute(counts);
        var shifted = Ppmi.Compute(counts, shift: 2);
        Assert.True(shifted.NonZeros < plain.NonZeros);
        for (int i = 0; i < counts.Rows; i++)
            foreach (int j in shifted.RowColumns(i)) Assert.Equal(plain[i, j] - Math.Log(2), shifted[i, j], 5);
    }

    [Theory]
    [InlineData(0.0, 1.0)]
    [InlineData(1.5, 1.0)]
    [InlineData(0.75, 0.5)]
    public void BadSettingsAreRefused(double alpha, double shift)
    {
        var counts = Cooccurrence.Count([0, 1, 0], 2, 1, CooccurrenceWeighting.Flat);
        Assert.Throws<ArgumentOutOfRangeException>(() => Ppmi.Compute(counts, alpha, shift));
    }
}
