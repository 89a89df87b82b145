using GraphCompiler.Runtime.Data;

namespace GraphCompiler.Runtime.Tests.Data;

public class DatasetOperatorTests
{
    [Fact]
    public void Map_And_Filter_KeepOrder()
    {
        var ds = Dataset.FromArray(new[] { 1, 2, 3, 4, 5 }).Filter(x => x % 2 == 1).Map(x => x * 10);
        Assert.Equal([10, 30, 50], ds.ToArray());
    }

    [Fact]
    public void Operators_AreLazy_NothingRunsUntilEnumerated()
    {
        var source = new CountingSource();
        var ds = source.Integers().Map(x => x + 1).Filter(_ => true).Shuffle(4, 1).Repeat().Skip(3).Take(2);
        Assert.Equal(0, source.StartedPasses);
        Assert.Equal(2, ds.Count());
    }

    [Fact]
    public void Take_OnInfiniteSource_PullsExactlyTheCount()
    {
        var source = new CountingSource();
        Assert.Equal([0, 1, 2, 3, 4], source.Integers().Take(5).ToArray());
        Assert.Equal(5, source.Pulled);
        Assert.Equal(1, source.DisposedPasses);
        Assert.Empty(source.Integers().Take(0));
    }

    [Fact]
    public void Skip_OnInfiniteSource_PullsOnlyWhatIsNeeded()
    {
        var source = new CountingSource();
        Assert.Equal([3, 4], source.Integers().Skip(3).Take(2).ToArray());
        Assert.Equal(5, source.Pulled);
    }

    [Fact]
    public void Repeat_WithCount_StartsAFreshPassEachTime()
    {
        var source = new CountingSource();
        Assert.Equal([0, 1, 0, 1, 0, 1], source.Integers(2).Repeat(3).ToArray());
        Assert.Equal(3, source.StartedPasses);
        Assert.Empty(source.Integers(2).Repeat(0));
    }

    [Fact]
    public void Repeat_Forever_IsLazy_AndTakeEndsIt()
    {
        var source = new CountingSource();
        Assert.Equal([0, 1, 2, 0, 1, 2, 0], source.Integers(3).Repeat().Take(7).ToArray());
        Assert.Equal(7, source.Pulled);
    }

    [Fact]
    public void Repeat_Forever_OfAnEmptyDataset_EndsInsteadOfSpinning()
    {
        Assert.Empty(Dataset.FromArray(Array.Empty<int>()).Repeat());
    }

    [Fact]
    public void NegativeCounts_AreRejectedWithTheOperatorName()
    {
        var ds = Dataset.FromArray(new[] { 1 });
        Assert.Contains("Take", Assert.Throws<ArgumentOutOfRangeException>(() => ds.Take(-1)).Message);
        Assert.Contains("Skip", Assert.Throws<ArgumentOutOfRangeException>(() => ds.Skip(-1)).Message);
        Assert.Contains("Repeat", Assert.Throws<ArgumentOutOfRangeException>(() => ds.Repeat(-2)).Message);
        Assert.Contains("Shuffle", Assert.Throws<ArgumentOutOfRangeException>(() => ds.Shuffle(0, 1)).Message);
        Assert.Contains("Prefetch", Assert.Throws<ArgumentOutOfRangeException>(() => ds.Prefetch(0)).Message);
    }
}
