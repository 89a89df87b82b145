using GraphCompiler.Runtime.Execution;

namespace GraphCompiler.Runtime.Tests.Execution;

public class CpuOpsSparseAdagradTests
{
    [Fact]
    public void RepeatedIdsUpdateAsDenseAdagradDoes()
    {
        // Table [4, 2]; ids 1, 3, 1: row 1's gradient is the sum of its two rows of values.
        float[] values = [0.5f, -1f, 2f, 0.25f, 1.5f, 3f];
        int[] ids = [1, 3, 1];
        float[] table = [1, 1, 2, 2, 3, 3, 4, 4];
        float[] accumulator = [0.1f, 0.1f, 0.2f, 0.3f, 0.1f, 0.1f, 1f, 2f];
        var dense = new double[8];
        for (int i = 0; i < ids.Length; i++)
            for (int c = 0; c < 2; c++) dense[ids[i] * 2 + c] += values[i * 2 + c];
        var expectedTable = new double[8];
        var expectedAccumulator = new double[8];
        for (int e = 0; e < 8; e++)
        {
            expectedAccumulator[e] = accumulator[e] + dense[e] * dense[e];
            expectedTable[e] = table[e] - 0.1 * dense[e] / Math.Sqrt(expectedAccumulator[e]);
        }

        CpuOps.SparseAdagrad<float, int>(values, 2, ids, accumulator, table, 0.1f);
        CpuOps.SparseAdagradAccumulate<float, int>(values, 2, ids, accumulator);
        for (int e = 0; e < 8; e++)
        {
            Assert.Equal(expectedTable[e], table[e], 5);
            Assert.Equal(expectedAccumulator[e], accumulator[e], 5);
        }
        // Untouched rows are exactly as they were.
        Assert.Equal(new[] { 1f, 1f, 3f, 3f }, new[] { table[0], table[1], table[4], table[5] });
    }

    [Fact]
    public void AnOutOfRangeIdWritesNothing()
    {
        float[] table = [1, 2, 3];
        float[] accumulator = [1, 1, 1];
        Assert.Throws<ArgumentOutOfRangeException>(() => CpuOps.SparseAdagrad<float, int>([1f, 1f], 1, [0, 3], accumulator, table, 0.5f));
        Assert.Equal(new[] { 1f, 2f, 3f }, table);
    }
}
