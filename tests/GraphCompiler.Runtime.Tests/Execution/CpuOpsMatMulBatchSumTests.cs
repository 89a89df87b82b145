using GraphCompiler.Runtime.Execution;

namespace GraphCompiler.Runtime.Tests.Execution;

/// <summary>
/// Σᵢ op(aᵢ)·op(bᵢ) (a shared matrix's gradient) and a batch times one shared b (stacked into one GEMM) against a
/// loop reference, in float32 (the SIMD GEMM) and float64 (the generic loop), on odd, size-1 and empty shapes.
/// </summary>
public class CpuOpsMatMulBatchSumTests
{
    public static TheoryData<bool, bool, int, int, int, int> Shapes()
    {
        var data = new TheoryData<bool, bool, int, int, int, int>();
        foreach (var (batch, m, n, k) in new[] { (1, 1, 1, 1), (3, 5, 7, 2), (1, 9, 3, 4), (4, 33, 17, 13), (2, 128, 40, 64), (0, 3, 4, 5), (3, 2, 3, 0) })
            foreach (bool ta in new[] { false, true })
                foreach (bool tb in new[] { false, true })
                    data.Add(ta, tb, batch, m, n, k);
        return data;
    }

    private static double[] Random(int seed, int count)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => Math.Round(rng.NextDouble() * 4 - 2, 2)).ToArray();
    }

    /// <summary>Element (i, j) of op(x) for an item stored at <paramref name="offset"/> as rows×cols.</summary>
    private static double At(double[] x, int offset, bool transposed, int i, int j, int rows, int cols) =>
        transposed ? x[offset + j * rows + i] : x[offset + i * cols + j];

    private static double Product(double[] a, int aOff, double[] b, int bOff, bool ta, bool tb, int m, int n, int k, int i, int j)
    {
        double s = 0;
        for (int p = 0; p < k; p++) s += At(a, aOff, ta, i, p, m, k) * At(b, bOff, tb, p, j, k, n);
        return s;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void BatchSumMatchesALoopReference(bool ta, bool tb, int batch, int m, int n, int k)
    {
        double[] a = Random(batch * 7 + m, batch * m * k), b = Random(batch * 11 + n, batch * k * n);
        var expected = new double[m * n];
        for (int item = 0; item < batch; item++)
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++)
                    expected[i * n + j] += Product(a, item * m * k, b, item * k * n, ta, tb, m, n, k, i, j);
        var c = Enumerable.Repeat(double.NaN, m * n).ToArray();
        CpuOps.MatMulBatchSum<double>(ta, tb, batch, m, n, k, a, b, c);
        for (int e = 0; e < c.Length; e++) Assert.Equal(expected[e], c[e], 9);
        var cf = Enumerable.Repeat(float.NaN, m * n).ToArray();
        CpuOps.MatMulBatchSum<float>(ta, tb, batch, m, n, k, a.Select(v => (float)v).ToArray(), b.Select(v => (float)v).ToArray(), cf);
        for (int e = 0; e < cf.Length; e++) Assert.True(Math.Abs(expected[e] - cf[e]) <= 1e-4 * (1 + Math.Abs(expected[e])), $"c[{e}] = {cf[e]}, expected {expected[e]}");
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void SharedBAcrossTheBatchMatchesALoopReference(bool ta, bool tb, int batch, int m, int n, int k)
    {
        double[] a = Random(batch * 5 + k, batch * m * k), b = Random(n * 3 + k, k * n);
        var expected = new double[batch * m * n];
        for (int item = 0; item < batch; item++)
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++)
                    expected[(item * m + i) * n + j] = Product(a, item * m * k, b, 0, ta, tb, m, n, k, i, j);
        var c = new float[batch * m * n];
        CpuOps.BatchMatMul<float>(ta, tb, [batch], ReadOnlySpan<int>.Empty, [batch], m, n, k, a.Select(v => (float)v).ToArray(), b.Select(v => (float)v).ToArray(), c);
        for (int e = 0; e < c.Length; e++) Assert.True(Math.Abs(expected[e] - c[e]) <= 1e-4 * (1 + Math.Abs(expected[e])), $"c[{e}] = {c[e]}, expected {expected[e]}");
        var cd = new double[batch * m * n];
        CpuOps.BatchMatMul<double>(ta, tb, [batch], [1], [batch], m, n, k, a, b, cd);
        for (int e = 0; e < cd.Length; e++) Assert.Equal(expected[e], cd[e], 9);
    }
}
