using GraphCompiler.Runtime.Kernels;

namespace GraphCompiler.Runtime.Tests.Kernels;

public class GemmTests
{
    /// <summary>C = alpha·op(A)·op(B) + beta·C in double, straight from the definition.</summary>
    internal static double[] Reference(bool transA, bool transB, int m, int n, int k, double alpha,
        IReadOnlyList<float> a, int lda, IReadOnlyList<float> b, int ldb, double beta, IReadOnlyList<float> c, int ldc)
    {
        var result = new double[c.Count];
        for (int i = 0; i < c.Count; i++) result[i] = c[i];
        for (int i = 0; i < m; i++)
        for (int j = 0; j < n; j++)
        {
            double s = 0;
            for (int p = 0; p < k; p++)
            {
                double av = transA ? a[p * lda + i] : a[i * lda + p];
                double bv = transB ? b[j * ldb + p] : b[p * ldb + j];
                s += av * bv;
            }

            result[i * ldc + j] = alpha * s + (beta == 0 ? 0 : beta * c[i * ldc + j]);
        }

        return result;
    }

    internal static void AssertClose(double[] expected, float[] actual, int k, string what)
    {
        // Inputs are in [-1, 1]: each term is at most 1, so float rounding error grows at most ~k·eps.
        // NaN must match NaN and nothing else: written as "not within tolerance", so a NaN result fails.
        double tol = 1e-5 * (k + 4);
        for (int i = 0; i < expected.Length; i++)
        {
            bool ok = double.IsNaN(expected[i])
                ? float.IsNaN(actual[i])
                : Math.Abs(expected[i] - actual[i]) <= tol * (1 + Math.Abs(expected[i]));
            if (!ok) Assert.Fail($"{what}: element {i} is {actual[i]}, expected {expected[i]}.");
        }
    }

    private static void RunCase(KernelIsa isa, bool transA, bool transB, int m, int n, int k, float alpha, float beta,
        int padA, int padB, int padC, int seed)
    {
        var rng = new System.Random(seed);
        int lda = (transA ? m : k) + padA, ldb = (transB ? k : n) + padB, ldc = n + padC;
        int aRows = transA ? k : m, bRows = transB ? n : k;
        var a = TestData.Floats(rng, Math.Max(aRows * lda, 0));
        var b = TestData.Floats(rng, Math.Max(bRows * ldb, 0));
        var c = TestData.Floats(rng, m * ldc);
        var expected = Reference(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        // Padding columns of C are not part of the product and must stay as they were.
        for (int i = 0; i < m; i++) for (int j = n; j < ldc; j++) expected[i * ldc + j] = c[i * ldc + j];

        using (KernelIsaSelector.Force(isa))
            Gemm.Sgemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

        AssertClose(expected, c, k, $"{isa} tA={transA} tB={transB} m={m} n={n} k={k} alpha={alpha} beta={beta} pads={padA},{padB},{padC}");
    }

    [Theory]
    [MemberData(nameof(TestData.Isas), MemberType = typeof(TestData))]
    public void Sgemm_matches_reference_on_edge_shapes_and_all_transposes(int isaValue)
    {
        var isa = (KernelIsa)isaValue;
        int[] sizes = [1, 2, 3, 5, 7, 12, 13, 17, 31, 33, 47];
        int seed = 0;
        foreach (bool ta in new[] { false, true })
        foreach (bool tb in new[] { false, true })
        {
            for (int t = 0; t < 10; t++)
            {
                var rng = new System.Random(1000 + seed);
                int m = sizes[rng.Next(sizes.Length)], n = sizes[rng.Next(sizes.Length)], k = sizes[rng.Next(sizes.Length)];
                RunCase(isa, ta, tb, m, n, k, 1f, 0f, 0, 0, 0, seed++);
                RunCase(isa, ta, tb, m, n, k, -0.5f, 0.75f, rng.Next(5), rng.Next(5), rng.Next(5), seed++);
            }
        }
    }

    [Theory]
    [MemberData(nameof(TestData.Isas), MemberType = typeof(TestData))]
    public void Sgemm_crosses_every_blocking_boundary(int isaValue)
    {
        // Larger than MC and KC of every kernel (AVX-512: 144 and 512; AVX2: 72 and 256; scalar: 64 and 128)
        // and one NR panel, with ragged remainders, in all transposes, on the packed path.
        var isa = (KernelIsa)isaValue;
        using var packed = SgemmPathSelector.Force(SgemmPath.Packed);
        RunCase(isa, false, false, 201, 77, 300, 1f, 0f, 0, 0, 0, 1);
        RunCase(isa, true, false, 130, 70, 270, 2f, 1f, 3, 0, 1, 2);
        RunCase(isa, false, true, 65, 129, 257, 1f, -1f, 0, 2, 0, 3);
        RunCase(isa, true, true, 97, 66, 260, 0.5f, 0.5f, 1, 1, 9, 4);
        RunCase(isa, false, false, 157, 45, 530, 1f, 0f, 0, 0, 0, 5);
        RunCase(isa, true, false, 145, 33, 513, -1f, 0.5f, 2, 1, 0, 6);
        RunCase(isa, false, true, 289, 40, 1030, 0.5f, 0f, 1, 0, 3, 7);
        RunCase(isa, true, true, 150, 97, 600, 1f, 1f, 0, 3, 1, 8);
    }

    [Fact]
    public void Sgemm_beyond_the_panel_width_splits_across_threads_and_matches_one_thread()
    {
        // 2100 columns exceed NC (2048) and the product is large enough to be split across threads;
        // the per-element summation order does not depend on the split, so results are bit-identical.
        var rng = new System.Random(7);
        int m = 40, n = 2100, k = 30;
        var a = TestData.Floats(rng, m * k);
        var b = TestData.Floats(rng, k * n);
        var parallel = new float[m * n];
        var serial = new float[m * n];
        Gemm.Sgemm(false, false, m, n, k, 1f, a, k, b, n, 0f, parallel, n);
        using (KernelParallel.LimitDegree(1))
            Gemm.Sgemm(false, false, m, n, k, 1f, a, k, b, n, 0f, serial, n);
        Assert.Equal(serial, parallel);
        AssertClose(Reference(false, false, m, n, k, 1, a, k, b, n, 0, new float[m * n], n), parallel, k, "wide");

        // Tall: split along rows.
        int mt = 700, nt = 20, kt = 100;
        var at = TestData.Floats(rng, mt * kt);
        var bt = TestData.Floats(rng, kt * nt);
        var ct1 = new float[mt * nt];
        var ct2 = new float[mt * nt];
        Gemm.Sgemm(true, false, mt, nt, kt, 1f, TransposeCopy(at, mt, kt), mt, bt, nt, 0f, ct1, nt);
        using (KernelParallel.LimitDegree(1))
            Gemm.Sgemm(true, false, mt, nt, kt, 1f, TransposeCopy(at, mt, kt), mt, bt, nt, 0f, ct2, nt);
        Assert.Equal(ct2, ct1);
        AssertClose(Reference(false, false, mt, nt, kt, 1, at, kt, bt, nt, 0, new float[mt * nt], nt), ct1, kt, "tall");
    }

    private static float[] TransposeCopy(float[] x, int rows, int cols)
    {
        var t = new float[x.Length];
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) t[j * rows + i] = x[i * cols + j];
        return t;
    }

    [Theory]
    [MemberData(nameof(TestData.Isas), MemberType = typeof(TestData))]
    public void Sgemm_with_beta_zero_overwrites_nan_in_c(int isaValue)
    {
        using var _ = KernelIsaSelector.Force((KernelIsa)isaValue);
        var a = new float[] { 1, 2, 3, 4 };
        var b = new float[] { 5, 6, 7, 8 };
        var c = new float[] { float.NaN, float.NaN, float.PositiveInfinity, float.NaN };
        Gemm.Sgemm(false, false, 2, 2, 2, 1f, a, 2, b, 2, 0f, c, 2);
        Assert.Equal(new float[] { 19, 22, 43, 50 }, c);
    }

    [Fact]
    public void Sgemm_with_k_zero_or_alpha_zero_only_scales_c()
    {
        var c = new float[] { 1, 2, 3, 4, 5, 6 };
        Gemm.Sgemm(false, false, 2, 3, 0, 1f, [], 1, [], 3, 2f, c, 3);
        Assert.Equal(new float[] { 2, 4, 6, 8, 10, 12 }, c);

        var a = new float[] { float.NaN, 1 };
        var b = new float[] { 1, 1, 1 , 1, 1, 1 };
        var c2 = new float[] { 1, 1, 1 };
        Gemm.Sgemm(false, false, 1, 3, 2, 0f, a, 2, b, 3, 3f, c2, 3);
        Assert.Equal(new float[] { 3, 3, 3 }, c2);
    }

    [Fact]
    public void Sgemm_with_empty_output_touches_nothing()
    {
        var c = new float[] { 42 };
        Gemm.Sgemm(false, false, 0, 5, 3, 1f, [], 3, new float[15], 5, 0f, c, 5);
        Gemm.Sgemm(false, false, 4, 0, 3, 1f, new float[12], 3, [], 1, 0f, [], 1);
        Assert.Equal(42, c[0]);
    }

    [Fact]
    public void Sgemm_rejects_bad_strides_lengths_and_overlap()
    {
        var a = new float[6];
        var b = new float[6];
        var c = new float[4];
        var e1 = Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Sgemm(false, false, 2, 2, 3, 1f, a, 2, b, 2, 0f, c, 2));
        Assert.Contains("lda", e1.Message);
        var e2 = Assert.Throws<ArgumentException>(() => Gemm.Sgemm(false, false, 2, 2, 3, 1f, a, 3, b, 2, 0f, new float[3], 2));
        Assert.Contains("matrix c", e2.Message);
        var e3 = Assert.Throws<ArgumentException>(() => Gemm.Sgemm(true, false, 2, 2, 3, 1f, new float[5], 2, b, 2, 0f, c, 2));
        Assert.Contains("transposed", e3.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Sgemm(false, false, -1, 2, 3, 1f, a, 3, b, 2, 0f, c, 2));
        var shared = new float[16];
        var e4 = Assert.Throws<ArgumentException>(() =>
            Gemm.Sgemm(false, false, 2, 2, 2, 1f, shared.AsSpan(0, 4), 2, shared.AsSpan(4, 4), 2, 0f, shared.AsSpan(2, 4), 2));
        Assert.Contains("overlaps", e4.Message);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void BatchedSgemm_matches_per_item_reference_including_shared_weights(bool ta, bool tb)
    {
        var rng = new System.Random(11);
        int batch = 5, m = 7, n = 9, k = 6;
        int lda = (ta ? m : k) + 1, ldb = tb ? k : n, ldc = n + 2;
        int sizeA = (ta ? k : m) * lda, sizeB = (tb ? n : k) * ldb, sizeC = m * ldc;
        var a = TestData.Floats(rng, batch * sizeA);
        var b = TestData.Floats(rng, sizeB); // stride 0: one B shared by every item
        var c = TestData.Floats(rng, batch * sizeC + 3);
        var expected = (float[])c.Clone();
        for (int i = 0; i < batch; i++)
        {
            var item = Reference(ta, tb, m, n, k, 1.5, a[(i * sizeA)..((i + 1) * sizeA)], lda, b, ldb, 0.5,
                c[(i * sizeC)..((i + 1) * sizeC)], ldc);
            for (int r = 0; r < m; r++) for (int j = 0; j < n; j++) expected[i * sizeC + r * ldc + j] = (float)item[r * ldc + j];
        }

        Gemm.BatchedSgemm(ta, tb, batch, m, n, k, 1.5f, a, lda, sizeA, b, ldb, 0, 0.5f, c, ldc, sizeC);
        AssertClose(expected.Select(v => (double)v).ToArray(), c, k, "batched");
    }

    [Fact]
    public void BatchedSgemm_rejects_overlapping_outputs_and_short_spans()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            Gemm.BatchedSgemm(false, false, 2, 2, 2, 2, 1f, new float[8], 2, 4, new float[8], 2, 4, 0f, new float[8], 2, 3));
        Assert.Contains("strideC", e.Message);
        var e2 = Assert.Throws<ArgumentException>(() =>
            Gemm.BatchedSgemm(false, false, 3, 2, 2, 2, 1f, new float[8], 2, 4, new float[8], 2, 0, 0f, new float[12], 2, 4));
        Assert.Contains("matrix a", e2.Message);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void Dgemm_matches_reference(bool ta, bool tb)
    {
        var rng = new System.Random(5);
        foreach (var (m, n, k) in new[] { (1, 1, 1), (3, 600, 5), (33, 17, 300), (0, 3, 2), (4, 5, 0) })
        {
            int lda = (ta ? m : k) + 2, ldb = (tb ? k : n) + 1, ldc = n + 3;
            var a = TestData.Doubles(rng, (ta ? k : m) * lda);
            var b = TestData.Doubles(rng, (tb ? n : k) * ldb);
            var c = TestData.Doubles(rng, m * ldc);
            var expected = (double[])c.Clone();
            for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int p = 0; p < k; p++) s += (ta ? a[p * lda + i] : a[i * lda + p]) * (tb ? b[j * ldb + p] : b[p * ldb + j]);
                expected[i * ldc + j] = 0.5 * s - 2 * c[i * ldc + j];
            }

            Gemm.Dgemm(ta, tb, m, n, k, 0.5, a, lda, b, ldb, -2, c, ldc);
            for (int i = 0; i < c.Length; i++) Assert.Equal(expected[i], c[i], 1e-12);
        }
    }
}
