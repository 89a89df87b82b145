using GraphCompiler.Runtime.Distributed;

namespace GraphCompiler.Runtime.Tests.Distributed;

/// <summary>The rows-and-ids form of a table update; its all-reduce over MPI is tested with mpirun (Word2VecDistributedTests).</summary>
public class SparseRowsTests
{
    [Fact]
    public void AddToAddsEachRowToItsRowOfTheTableAndLeavesTheOthers()
    {
        var table = Enumerable.Range(0, 5 * 3).Select(i => (float)i).ToArray();
        var rows = new SparseRows([0, 3], [1, 2, 3, 10, 20, 30], width: 3);
        rows.AddTo(table);
        Assert.Equal([1f, 3, 5, 3, 4, 5, 6, 7, 8, 19, 30, 41, 12, 13, 14], table);
        Assert.Equal(4 + 2 * 4 * 4, rows.WireBytes);
    }

    [Theory]
    [InlineData(new[] { 2, 1 }, 6)]
    [InlineData(new[] { 1, 1 }, 6)]
    [InlineData(new[] { 1, 2 }, 5)]
    public void RefusesIdsOutOfOrderRepeatedOrTheWrongNumberOfValues(int[] ids, int values)
    {
        Assert.Throws<ArgumentException>(() => new SparseRows(ids, new float[values], width: 3));
    }

    [Fact]
    public void AnEmptySetHoldsNoRows()
    {
        var rows = new SparseRows([], [], width: 4);
        var table = new float[8];
        rows.AddTo(table);
        Assert.All(table, x => Assert.Equal(0f, x));
        Assert.Equal(4, rows.WireBytes);
    }
}
