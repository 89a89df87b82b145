using GraphCompiler.Runtime.Text;

namespace GraphCompiler.Runtime.Tests.Text;

public class CooccurrenceTests
{
    // The definition, entry by entry: every ordered pair of positions at distance 1..window.
    private static double[,] BruteForce(int[] ids, int size, int window, CooccurrenceWeighting weighting)
    {
        var counts = new double[size, size];
        for (int i = 0; i < ids.Length; i++)
            for (int j = 0; j < ids.Length; j++)
            {
                int d = Math.Abs(i - j);
                if (d >= 1 && d <= window) counts[ids[i], ids[j]] += weighting == CooccurrenceWeighting.Harmonic ? 1.0 / d : 1;
            }
        return counts;
    }

    private static int[] RandomIds(int length, int size, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, length).Select(_ => random.Next(size)).ToArray();
    }

    [Theory]
    [InlineData(CooccurrenceWeighting.Flat, 1)]
    [InlineData(CooccurrenceWeighting.Flat, 3)]
    [InlineData(CooccurrenceWeighting.Harmonic, 4)]
    public void CountsMatchTheDefinition(CooccurrenceWeighting weighting, int window)
    {
        var ids = RandomIds(300, 12, seed: window);
        var expected = BruteForce(ids, 12, window, weighting);
        var counts = Cooccurrence.Count(ids, 12, window, weighting);
        for (int r = 0; r < 12; r++)
        {
            var columns = counts.RowColumns(r);
            Assert.True(columns.ToArray().SequenceEqual(columns.ToArray().Order()), $"row {r} is sorted");
            for (int c = 0; c < 12; c++)
            {
                Assert.Equal(expected[r, c], counts[r, c], 4);
                Assert.Equal(expected[r, c] != 0, columns.Contains(c));
            }
        }
    }

    [Fact]
    public void TheMatrixIsSymmetricAndIndependentOfTheThreadCount()
    {
        var ids = RandomIds(5000, 40, seed: 7);
        var one = Cooccurrence.Count(ids, 40, 5, CooccurrenceWeighting.Harmonic, threads: 1);
        var four = Cooccurrence.Count(ids, 40, 5, CooccurrenceWeighting.Harmonic, threads: 4);
        Assert.Equal(one.RowStarts, four.RowStarts);
        Assert.Equal(one.Columns, four.Columns);
        Assert.Equal(one.Values, four.Values);
        var transpose = one.Transpose();
        Assert.Equal(one.Columns, transpose.Columns);
        Assert.Equal(one.Values, transpose.Values);
    }

    [Fact]
    public void MemoryIsTheThreeArrays()
    {
        var counts = Cooccurrence.Count([0, 1, 2, 1], 3, 1, CooccurrenceWeighting.Flat);
        // Pairs (0,1), (1,0), (1,2), (2,1): four entries of 4 + 4 bytes and four 8-byte row starts.
        Assert.Equal(4, counts.NonZeros);
        Assert.Equal(4 * 8 + 4 * 8, counts.MemoryBytes);
        Assert.Equal(2f, counts[1, 2]);
    }

    [Fact]
    public void AnIdOutsideTheVocabularyIsNamed()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Cooccurrence.Count([0, 5], 3, 2, CooccurrenceWeighting.Flat));
        Assert.Contains("position 1", e.Message);
    }
}
