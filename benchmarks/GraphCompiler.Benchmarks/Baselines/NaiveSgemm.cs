namespace GraphCompiler.Benchmarks.Baselines;

/// <summary>
/// The plain triple loop for <c>C = A·B</c> (square, row-major): the GEMM baseline. The loops run
/// i-k-j so that the inner loop walks B and C contiguously; the textbook i-j-k order strides B by a
/// whole row per multiply-add and is several times slower again, which would make the baseline a
/// straw man.
/// </summary>
public static class NaiveSgemm
{
    /// <summary><c>c[n,n] = a[n,n]·b[n,n]</c>.</summary>
    public static void Multiply(float[] a, float[] b, float[] c, int n)
    {
        Array.Clear(c, 0, n * n);
        for (int i = 0; i < n; i++)
        {
            int cRow = i * n;
            for (int p = 0; p < n; p++)
            {
                float aip = a[cRow + p];
                int bRow = p * n;
                for (int j = 0; j < n; j++) c[cRow + j] += aip * b[bRow + j];
            }
        }
    }
}
