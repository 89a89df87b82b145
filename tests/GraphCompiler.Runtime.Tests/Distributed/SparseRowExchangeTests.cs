using GraphCompiler.Runtime.Distributed;

namespace GraphCompiler.Runtime.Tests.Distributed;

/// <summary>A rank's message of changed rows and how it is added onto tables; the exchange over MPI is tested with mpirun (Word2VecDistributedTests).</summary>
public class SparseRowExchangeTests
{
    [Fact]
    public void AMessageAddsEachRowToItsRowOfItsTableAndLeavesTheOthers()
    {
        var exchange = new SparseRowExchange([3, 1], ranks: 1);
        var ids = exchange.Append(2, out var values);
        int[] rowIds = [3, 0];
        rowIds.CopyTo(ids);
        float[] rows = [10, 20, 30, 1, 2, 3];
        rows.CopyTo(values);
        var biasIds = exchange.Append(1, out var biases);
        biasIds[0] = 4;
        biases[0] = 0.5f;
        var table = Enumerable.Range(0, 5 * 3).Select(i => (float)i).ToArray();
        var bias = new float[5];
        exchange.AddOwnTo([table, bias]);
        Assert.Equal([1f, 3, 5, 3, 4, 5, 6, 7, 8, 19, 30, 41, 12, 13, 14], table);
        Assert.Equal([0f, 0, 0, 0, 0.5f], bias);
        Assert.Equal(4 + 2 * 4 * 4 + 4 + 1 * 2 * 4, exchange.Message.Length);
    }

    [Fact]
    public void ClearStartsANewMessageAndTheBufferGrowsForManyRows()
    {
        var exchange = new SparseRowExchange([2], ranks: 1);
        exchange.Append(1, out _);
        exchange.Clear();
        const int rows = 3000;
        var ids = exchange.Append(rows, out var values);
        for (int i = 0; i < rows; i++)
        {
            ids[i] = rows - 1 - i;
            values[2 * i] = i;
            values[2 * i + 1] = -i;
        }
        var table = new float[rows * 2];
        exchange.AddOwnTo([table]);
        for (int i = 0; i < rows; i++)
        {
            Assert.Equal(i, table[2 * (rows - 1 - i)]);
            Assert.Equal(-i, table[2 * (rows - 1 - i) + 1]);
        }
        Assert.Equal(4 + rows * 3 * 4, exchange.Message.Length);
    }

    [Fact]
    public void AnEmptyMessageHoldsACountPerTableAndChangesNothing()
    {
        var exchange = new SparseRowExchange([4, 4], ranks: 1);
        exchange.Append(0, out _);
        exchange.Append(0, out _);
        var table = new float[8];
        exchange.AddOwnTo([table, table]);
        Assert.All(table, x => Assert.Equal(0f, x));
        Assert.Equal(8, exchange.Message.Length);
    }

    [Fact]
    public void RefusesAnIncompleteMessageATableTooManyAndARowOutsideTheTable()
    {
        var exchange = new SparseRowExchange([2, 2], ranks: 1);
        exchange.Append(0, out _);
        Assert.Throws<InvalidOperationException>(() => exchange.AddOwnTo([new float[4], new float[4]]));
        var ids = exchange.Append(1, out _);
        ids[0] = 2;
        Assert.Throws<InvalidOperationException>(() => exchange.Append(0, out _).Length);
        Assert.Throws<MpiException>(() => exchange.AddOwnTo([new float[4], new float[4]]));
        Assert.Throws<ArgumentException>(() => new SparseRowExchange([], ranks: 1));
        Assert.Throws<ArgumentException>(() => new SparseRowExchange([0], ranks: 1));
    }
}
