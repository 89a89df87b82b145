using GraphCompiler.Runtime.Linalg;

namespace GraphCompiler.Runtime.Tests.Linalg;

public class SymmetricEigenTests
{
    [Fact]
    public void AKnownTwoByTwo()
    {
        // [[2, 1], [1, 2]] has eigenvalues 3 and 1 with eigenvectors (1, 1)/√2 and (1, −1)/√2.
        var (values, vectors) = SymmetricEigen.Decompose([2, 1, 1, 2], 2);
        Assert.Equal(3, values[0], 12);
        Assert.Equal(1, values[1], 12);
        Assert.Equal(Math.Abs(vectors[0]), Math.Abs(vectors[2]), 12);
        Assert.Equal(1 / Math.Sqrt(2), Math.Abs(vectors[0]), 12);
    }

    [Fact]
    public void ReconstructsARandomSymmetricMatrix()
    {
        const int n = 17;
        var random = new Random(5);
        var a = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = random.NextDouble() * 2 - 1;
        var (values, v) = SymmetricEigen.Decompose(a, n);
        for (int j = 1; j < n; j++) Assert.True(values[j - 1] >= values[j], "descending");
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double reconstructed = 0, gram = 0;
                for (int k = 0; k < n; k++)
                {
                    reconstructed += v[i * n + k] * values[k] * v[j * n + k];
                    gram += v[k * n + i] * v[k * n + j];
                }
                Assert.Equal(a[i * n + j], reconstructed, 10);
                Assert.Equal(i == j ? 1 : 0, gram, 10);
            }
        // The trace is the sum of the eigenvalues.
        Assert.Equal(Enumerable.Range(0, n).Sum(i => a[i * n + i]), values.Sum(), 10);
    }
}
