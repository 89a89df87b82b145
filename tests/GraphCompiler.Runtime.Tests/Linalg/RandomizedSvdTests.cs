using GraphCompiler.Runtime.Linalg;

namespace GraphCompiler.Runtime.Tests.Linalg;

public class RandomizedSvdTests
{
    // The dense reference: singular values are the square roots of the eigenvalues of AᵀA, in double precision.
    private static double[] DenseSingularValues(double[,] a)
    {
        int rows = a.GetLength(0), columns = a.GetLength(1);
        var gram = new double[columns * columns];
        for (int i = 0; i < columns; i++)
            for (int j = 0; j < columns; j++)
                for (int k = 0; k < rows; k++) gram[i * columns + j] += a[k, i] * a[k, j];
        return SymmetricEigen.Decompose(gram, columns).Values.Select(l => Math.Sqrt(Math.Max(0, l))).ToArray();
    }

    // A random sparse matrix with rows scaled down geometrically, as frequent-to-rare words scale PPMI rows: its
    // singular values decay, the regime a truncated SVD is for (a flat spectrum has no best rank-k subspace to find).
    private static (SparseMatrix Sparse, double[,] Dense) Decaying(int rows, int columns, double density, int seed)
    {
        var (a, dense) = SparseMatrixTests.Random(rows, columns, density, seed);
        var values = a.Values.ToArray();
        for (int i = 0; i < rows; i++)
        {
            double scale = Math.Pow(0.95, i);
            for (long e = a.RowStarts[i]; e < a.RowStarts[i + 1]; e++) values[e] = (float)(values[e] * scale);
            for (int j = 0; j < columns; j++) dense[i, j] = (float)(dense[i, j] * scale);
        }
        return (new SparseMatrix(rows, columns, a.RowStarts, a.Columns, values), dense);
    }

    [Theory]
    [InlineData(80, 50, 0.15, 8)]
    [InlineData(50, 90, 0.3, 12)]
    [InlineData(120, 120, 0.05, 20)]
    public void SingularValuesMatchADenseReference(int rows, int columns, double density, int rank)
    {
        var (a, dense) = Decaying(rows, columns, density, seed: rows + columns);
        var expected = DenseSingularValues(dense);
        var svd = RandomizedSvd.Compute(a, rank, oversampling: 10, powerIterations: 3, seed: 7);
        Assert.Equal(rank, svd.S.Length);
        for (int j = 0; j < rank; j++)
            Assert.True(Math.Abs(svd.S[j] - expected[j]) <= 2e-3 * expected[0], $"σ{j + 1}: randomized {svd.S[j]}, dense {expected[j]}");
    }

    [Fact]
    public void LeftVectorsAreOrthonormalSingularVectors()
    {
        var (a, dense) = SparseMatrixTests.Random(60, 40, 0.2, seed: 11);
        const int rank = 6;
        var svd = RandomizedSvd.Compute(a, rank, powerIterations: 4);
        for (int p = 0; p < rank; p++)
        {
            for (int q = 0; q < rank; q++)
            {
                double dot = 0;
                for (int i = 0; i < 60; i++) dot += (double)svd.U[i * rank + p] * svd.U[i * rank + q];
                Assert.Equal(p == q ? 1 : 0, dot, 3);
            }
            // ‖Aᵀu‖ = σ for a left singular vector u.
            double norm = 0;
            for (int j = 0; j < 40; j++)
            {
                double sum = 0;
                for (int i = 0; i < 60; i++) sum += dense[i, j] * svd.U[i * rank + p];
                norm += sum * sum;
            }
            Assert.Equal(svd.S[p], Math.Sqrt(norm), 2);
        }
    }

    [Fact]
    public void ARankDeficientMatrixGivesZerosNotNoise()
    {
        // Rank 2: every row is a mix of two fixed rows.
        var starts = new long[31];
        var columns = new List<int>();
        var values = new List<float>();
        for (int i = 0; i < 30; i++)
        {
            for (int j = 0; j < 12; j++)
            {
                columns.Add(j);
                values.Add((float)((i % 3) * Math.Sin(j + 1) + (i % 5) * Math.Cos(2 * j)));
            }
            starts[i + 1] = columns.Count;
        }
        var svd = RandomizedSvd.Compute(new SparseMatrix(30, 12, starts, columns.ToArray(), values.ToArray()), 6);
        Assert.All(svd.S, s => Assert.True(double.IsFinite(s)));
        Assert.All(svd.U, u => Assert.True(float.IsFinite(u)));
        Assert.True(svd.S[1] > 1);
        for (int j = 2; j < 6; j++) Assert.True(svd.S[j] < 1e-2 * svd.S[0], $"σ{j + 1} = {svd.S[j]}");
    }

    [Fact]
    public void EigenvalueWeightingScalesColumns()
    {
        var svd = new TruncatedSvd(2, 2, [1, 2, 3, 4], [4, 9]);
        Assert.Equal(new float[] { 1, 2, 3, 4 }, svd.WeightedRows(0));
        Assert.Equal(new float[] { 2, 6, 6, 12 }, svd.WeightedRows(0.5));
        Assert.Equal(new float[] { 4, 18, 12, 36 }, svd.WeightedRows(1));
    }

    [Fact]
    public void TheSameSeedGivesTheSameVectors()
    {
        var (a, _) = SparseMatrixTests.Random(40, 40, 0.2, seed: 13);
        Assert.Equal(RandomizedSvd.Compute(a, 5, seed: 3).U, RandomizedSvd.Compute(a, 5, seed: 3).U);
    }
}
