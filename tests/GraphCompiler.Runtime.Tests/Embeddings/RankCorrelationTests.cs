using GraphCompiler.Runtime.Embeddings;

namespace GraphCompiler.Runtime.Tests.Embeddings;

public class RankCorrelationTests
{
    [Fact]
    public void Tied_values_share_the_average_rank()
    {
        Assert.Equal([1, 2.5, 2.5, 4], RankCorrelation.Ranks([10, 20, 20, 30]));
        Assert.Equal([3, 3, 3, 1], RankCorrelation.Ranks([5, 5, 5, -1]));
    }

    [Fact]
    public void Spearman_by_hand()
    {
        Assert.Equal(1.0, RankCorrelation.Spearman([1, 2, 3, 4], [10, 20, 35, 100]), 12);
        Assert.Equal(-1.0, RankCorrelation.Spearman([1, 2, 3, 4], [4, 3, 2, 1]), 12);
        // Ranks [3,2,4,1] against [2,3,4,1]: Σd² = 2, ρ = 1 − 6·2 / (4·15) = 0.8.
        Assert.Equal(0.8, RankCorrelation.Spearman([8.5, 6, 9, 1], [0.5, 0.7, 0.99, 0]), 12);
        // With ties: ranks [1,2.5,2.5,4] against [1,3,2,4]: Pearson = 4.5 / √(4.5 · 5) = 0.9486833.
        Assert.Equal(4.5 / Math.Sqrt(22.5), RankCorrelation.Spearman([1, 2, 2, 3], [1, 3, 2, 4]), 12);
    }

    [Fact]
    public void Undefined_cases_are_nan()
    {
        Assert.True(double.IsNaN(RankCorrelation.Spearman([1], [2])));
        Assert.True(double.IsNaN(RankCorrelation.Spearman([1, 1, 1], [1, 2, 3])));
        Assert.Throws<ArgumentException>(() => RankCorrelation.Spearman([1, 2], [1]));
        Assert.Throws<ArgumentException>(() => RankCorrelation.Ranks([1, double.NaN]));
    }
}
