using GraphCompiler.Runtime.Kernels;

namespace GraphCompiler.Runtime.Tests.Kernels;

/// <summary>
/// The two single-precision GEMM algorithms (unpacked small-product path and packed driver), each forced on
/// shapes the automatic choice would not give it, plus the shapes of the lecture's two-layer train step.
/// </summary>
public class SgemmPathTests
{
    private const float Sentinel = 12345.5f;

    /// <summary>
    /// Runs one product with the given ISA and path and compares every element of C — including the padding
    /// columns and a sentinel tail after the last row, which must stay untouched — against the reference.
    /// </summary>
    private static void Check(KernelIsa isa, SgemmPath path, bool ta, bool tb, int m, int n, int k,
        float alpha, float beta, int pad, int seed, bool nanInC = false)
    {
        var rng = new System.Random(seed);
        int lda = Math.Max(1, ta ? m : k) + pad, ldb = Math.Max(1, tb ? k : n) + pad, ldc = n + pad;
        var a = TestData.Floats(rng, (ta ? k : m) * lda);
        var b = TestData.Floats(rng, (tb ? n : k) * ldb);
        const int tail = 40;
        var c = TestData.Floats(rng, m * ldc + tail);
        if (nanInC) for (int i = 0; i < m * ldc; i++) c[i] = float.NaN;
        for (int i = m * ldc; i < c.Length; i++) c[i] = Sentinel;
        var expected = GemmTests.Reference(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        for (int i = 0; i < m; i++) for (int j = n; j < ldc; j++) expected[i * ldc + j] = c[i * ldc + j];

        using (KernelIsaSelector.Force(isa))
        using (SgemmPathSelector.Force(path))
            Gemm.Sgemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

        string what = $"{isa} {path} tA={ta} tB={tb} m={m} n={n} k={k} alpha={alpha} beta={beta} pad={pad}";
        for (int i = m * ldc; i < c.Length; i++)
            Assert.True(c[i] == Sentinel, $"{what}: wrote past the last row of C at element {i}.");
        GemmTests.AssertClose(expected, c, k, what);
    }

    public static TheoryData<int, int> IsasAndPaths()
    {
        var data = new TheoryData<int, int>();
        foreach (var isa in new[] { KernelIsa.Scalar, KernelIsa.Avx2, KernelIsa.Avx512 })
        {
            if (isa > KernelIsaSelector.Detected) continue;
            foreach (var path in new[] { SgemmPath.Packed, SgemmPath.Direct })
                data.Add((int)isa, (int)path);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(IsasAndPaths))]
    public void Forced_path_matches_reference_on_narrow_ragged_and_multi_strip_shapes(int isaValue, int pathValue)
    {
        var isa = (KernelIsa)isaValue;
        var path = (SgemmPath)pathValue;
        // Widths around every strip boundary of the unpacked path (16, 32, 48, 64 and beyond, where strips
        // of different widths follow each other) and heights around its tile heights (6, 8, 12).
        int[] widths = [1, 2, 10, 15, 16, 17, 31, 32, 33, 47, 48, 49, 50, 63, 64, 65, 80, 100, 113];
        int[] heights = [1, 2, 5, 6, 7, 8, 11, 12, 13, 23, 25, 37];
        int[] depths = [1, 2, 7, 16, 50, 101];
        int seed = 100;
        foreach (bool ta in new[] { false, true })
        foreach (bool tb in new[] { false, true })
        {
            var rng = new System.Random(seed);
            for (int t = 0; t < 14; t++)
            {
                int m = heights[rng.Next(heights.Length)], n = widths[rng.Next(widths.Length)], k = depths[rng.Next(depths.Length)];
                float alpha = t % 3 == 0 ? 1f : -0.75f;
                float beta = (t % 4) switch { 0 => 0f, 1 => 1f, 2 => 0.5f, _ => -2f };
                Check(isa, path, ta, tb, m, n, k, alpha, beta, pad: t % 3, seed: seed++);
            }
        }
    }

    [Theory]
    [MemberData(nameof(IsasAndPaths))]
    public void Forced_path_handles_degenerate_sizes(int isaValue, int pathValue)
    {
        var isa = (KernelIsa)isaValue;
        var path = (SgemmPath)pathValue;
        foreach (bool ta in new[] { false, true })
        foreach (bool tb in new[] { false, true })
        {
            Check(isa, path, ta, tb, 1, 1, 1, 1f, 0f, 0, 1);
            Check(isa, path, ta, tb, 3, 10, 0, 1f, 0.5f, 1, 2); // k = 0: C = beta·C only
            Check(isa, path, ta, tb, 0, 10, 4, 1f, 0f, 0, 3);
            Check(isa, path, ta, tb, 13, 50, 9, 2f, 0f, 2, 4, nanInC: true); // beta 0 overwrites NaN
            // Several k blocks: the first replaces C (never reading its NaN), the later ones add to it.
            Check(isa, path, ta, tb, 25, 45, 600, 1f, 0f, 1, 5, nanInC: true);
        }
    }

    [Theory]
    [MemberData(nameof(TestData.Isas), MemberType = typeof(TestData))]
    public void Two_layer_train_step_shapes_match_reference(int isaValue)
    {
        // The products of the lecture's x[200,100] → dense 50 → dense 10 step (forward and backward), on the
        // automatically chosen path, with the alpha/beta the generated code uses and with accumulation.
        var isa = (KernelIsa)isaValue;
        (bool ta, bool tb, int m, int n, int k)[] shapes =
        [
            (false, false, 200, 50, 100), (false, false, 200, 10, 50), (false, true, 200, 50, 10),
            (true, false, 50, 10, 200), (true, false, 100, 50, 200),
        ];
        int seed = 500;
        foreach (var (ta, tb, m, n, k) in shapes)
        {
            Check(isa, SgemmPath.Auto, ta, tb, m, n, k, 1f, 0f, 0, seed++, nanInC: true);
            Check(isa, SgemmPath.Auto, ta, tb, m, n, k, -0.01f, 1f, 0, seed++);
        }
    }

    [Fact]
    public void Unpacked_path_split_across_threads_matches_one_thread_bit_for_bit()
    {
        // 200·50·100 is above the unpacked path's parallel threshold; each element is summed in the same
        // order whichever thread computes it, so the results must be identical.
        Assert.True(200L * 50 * 100 >= Gemm.DirectParallelThreshold);
        foreach (bool ta in new[] { false, true })
        {
            var rng = new System.Random(ta ? 1 : 2);
            int m = 200, n = 50, k = 100, lda = ta ? m : k;
            var a = TestData.Floats(rng, m * k);
            var b = TestData.Floats(rng, k * n);
            var parallel = new float[m * n];
            var serial = new float[m * n];
            using (SgemmPathSelector.Force(SgemmPath.Direct))
            {
                Gemm.Sgemm(ta, false, m, n, k, 1f, a, lda, b, n, 0f, parallel, n);
                using (KernelParallel.LimitDegree(1))
                    Gemm.Sgemm(ta, false, m, n, k, 1f, a, lda, b, n, 0f, serial, n);
            }

            Assert.Equal(serial, parallel);
            GemmTests.AssertClose(GemmTests.Reference(ta, false, m, n, k, 1, a, lda, b, n, 0, new float[m * n], n),
                parallel, k, $"split tA={ta}");
        }
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void BatchedSgemm_on_the_unpacked_path_matches_reference(bool ta, bool tb)
    {
        var rng = new System.Random(21);
        int batch = 4, m = 14, n = 10, k = 9;
        int lda = ta ? m : k, ldb = tb ? k : n, ldc = n;
        int sizeA = (ta ? k : m) * lda, sizeB = (tb ? n : k) * ldb, sizeC = m * ldc;
        var a = TestData.Floats(rng, batch * sizeA);
        var b = TestData.Floats(rng, batch * sizeB);
        var c = TestData.Floats(rng, batch * sizeC);
        var expected = new double[c.Length];
        for (int i = 0; i < batch; i++)
        {
            var item = GemmTests.Reference(ta, tb, m, n, k, 2, a[(i * sizeA)..((i + 1) * sizeA)], lda,
                b[(i * sizeB)..((i + 1) * sizeB)], ldb, -1, c[(i * sizeC)..((i + 1) * sizeC)], ldc);
            item.CopyTo(expected, i * sizeC);
        }

        using (SgemmPathSelector.Force(SgemmPath.Direct))
            Gemm.BatchedSgemm(ta, tb, batch, m, n, k, 2f, a, lda, sizeA, b, ldb, sizeB, -1f, c, ldc, sizeC);
        GemmTests.AssertClose(expected, c, k, "batched unpacked");
    }
}
