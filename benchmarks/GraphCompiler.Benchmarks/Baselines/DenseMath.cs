namespace GraphCompiler.Benchmarks.Baselines;

/// <summary>
/// The loops a hand-written network needs, written plainly (row-major, i-k-j order so the inner
/// loop walks memory contiguously, no SIMD, no threads): the baseline a C# developer would write
/// without a library.
/// </summary>
internal static class DenseMath
{
    /// <summary><c>c[m,n] = a[m,k]·b[k,n] + bias[n]</c>.</summary>
    public static void MatMulAddBias(float[] a, float[] b, float[] bias, float[] c, int m, int k, int n)
    {
        for (int i = 0; i < m; i++)
        {
            var row = c.AsSpan(i * n, n);
            bias.AsSpan(0, n).CopyTo(row);
            for (int p = 0; p < k; p++)
            {
                float aip = a[i * k + p];
                int bRow = p * n;
                for (int j = 0; j < n; j++) row[j] += aip * b[bRow + j];
            }
        }
    }

    /// <summary><c>c[m,n] = a[m,k]·b[n,k]ᵀ</c> (the gradient with respect to a layer's input).</summary>
    public static void MatMulTransposedB(float[] a, float[] b, float[] c, int m, int k, int n)
    {
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                float sum = 0;
                for (int p = 0; p < k; p++) sum += a[i * k + p] * b[j * k + p];
                c[i * n + j] = sum;
            }
        }
    }

    /// <summary><c>c[k,n] = a[m,k]ᵀ·b[m,n]</c> (the gradient with respect to a layer's weights).</summary>
    public static void MatMulTransposedA(float[] a, float[] b, float[] c, int m, int k, int n)
    {
        Array.Clear(c, 0, k * n);
        for (int i = 0; i < m; i++)
        {
            for (int p = 0; p < k; p++)
            {
                float aip = a[i * k + p];
                int cRow = p * n, bRow = i * n;
                for (int j = 0; j < n; j++) c[cRow + j] += aip * b[bRow + j];
            }
        }
    }

    /// <summary><c>sums[n] = Σ_i g[i,n]</c> (the gradient with respect to a bias).</summary>
    public static void ColumnSums(float[] g, float[] sums, int m, int n)
    {
        Array.Clear(sums, 0, n);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) sums[j] += g[i * n + j];
    }

    /// <summary><c>v ← v − learningRate·g</c>.</summary>
    public static void Descend(float[] v, float[] g, float learningRate)
    {
        for (int i = 0; i < v.Length; i++) v[i] -= learningRate * g[i];
    }
}
