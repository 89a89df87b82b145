using GraphCompiler.Runtime.Linalg;

namespace GraphCompiler.Runtime.Tests.Linalg;

public class SparseMatrixTests
{
    /// <summary>A random sparse matrix and its dense copy.</summary>
    internal static (SparseMatrix Sparse, double[,] Dense) Random(int rows, int columns, double density, int seed)
    {
        var random = new Random(seed);
        var dense = new double[rows, columns];
        var starts = new long[rows + 1];
        var indices = new List<int>();
        var values = new List<float>();
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < columns; j++)
                if (random.NextDouble() < density)
                {
                    float v = (float)(random.NextDouble() * 2 - 1);
                    dense[i, j] = v;
                    indices.Add(j);
                    values.Add(v);
                }
            starts[i + 1] = indices.Count;
        }
        return (new SparseMatrix(rows, columns, starts, indices.ToArray(), values.ToArray()), dense);
    }

    [Fact]
    public void MultiplyMatchesADenseProduct()
    {
        var (a, dense) = Random(37, 23, 0.2, seed: 1);
        var random = new Random(2);
        var x = Enumerable.Range(0, 23 * 5).Select(_ => (float)random.NextDouble()).ToArray();
        var y = new float[37 * 5];
        a.Multiply(x, 5, y);
        for (int i = 0; i < 37; i++)
            for (int k = 0; k < 5; k++)
            {
                double expected = 0;
                for (int j = 0; j < 23; j++) expected += dense[i, j] * x[j * 5 + k];
                Assert.Equal(expected, y[i * 5 + k], 4);
            }
    }

    [Fact]
    public void TransposeSwapsEntriesAndKeepsRowsSorted()
    {
        var (a, dense) = Random(19, 31, 0.3, seed: 3);
        var t = a.Transpose();
        Assert.Equal((31, 19), (t.Rows, t.ColumnCount));
        for (int i = 0; i < 19; i++)
            for (int j = 0; j < 31; j++) Assert.Equal((float)dense[i, j], t[j, i]);
        for (int j = 0; j < 31; j++)
        {
            var columns = t.RowColumns(j).ToArray();
            Assert.Equal(columns.Order(), columns);
        }
        var rowSums = a.RowSums();
        var columnSums = t.ColumnSums();
        for (int i = 0; i < 19; i++) Assert.Equal(rowSums[i], columnSums[i], 10);
    }

    [Fact]
    public void InconsistentArraysAreRefused() =>
        Assert.Throws<ArgumentException>(() => new SparseMatrix(2, 2, [0, 1, 3], [0, 1], [1f, 2f]));
}
