using GraphCompiler.Runtime.Kernels;

namespace GraphCompiler.Runtime.Tests.Kernels;

/// <summary>
/// <see cref="Gemm.SgemmWithColumnSums"/>: C = op(A)·op(B) and the column sums of op(B) taken while B is packed
/// (packed path) or read (unpacked path), on every ISA and path, against a reference in double. C starts as
/// NaN and the sums as NaN inside a sentinel-guarded array, so a column summed never, twice, or only over some
/// k blocks or thread slabs, and any write outside the two outputs, shows up.
/// </summary>
public class SgemmColumnSumTests
{
    private const float Sentinel = 12345.5f;
    private const int Guard = 24;

    /// <summary>Σ_p op(B)[p, j] in double.</summary>
    private static double[] ReferenceSums(bool tb, int n, int k, float[] b, int ldb)
    {
        var sums = new double[n];
        for (int j = 0; j < n; j++)
            for (int p = 0; p < k; p++)
                sums[j] += tb ? b[j * ldb + p] : b[p * ldb + j];
        return sums;
    }

    /// <summary>The outputs of one call, for comparing calls with each other.</summary>
    private sealed record Result(float[] C, float[] Sums);

    private static Result Check(KernelIsa isa, SgemmPath path, bool ta, bool tb, int m, int n, int k, int pad, int seed)
    {
        var rng = new System.Random(seed);
        int lda = Math.Max(1, ta ? m : k) + pad, ldb = Math.Max(1, tb ? k : n) + pad, ldc = n + pad;
        var a = TestData.Floats(rng, (ta ? k : m) * lda);
        var b = TestData.Floats(rng, (tb ? n : k) * ldb);
        var c = new float[m * ldc + Guard];
        Array.Fill(c, float.NaN, 0, m * ldc);
        for (int i = 0; i < m; i++) for (int j = n; j < ldc; j++) c[i * ldc + j] = -7.25f; // padding
        Array.Fill(c, Sentinel, m * ldc, Guard);
        // The sums live between two guard blocks: nothing before column 0 or past column n may be written.
        var sumsArray = new float[Guard + n + Guard];
        Array.Fill(sumsArray, Sentinel);
        Array.Fill(sumsArray, float.NaN, Guard, n);

        var expected = GemmTests.Reference(ta, tb, m, n, k, 1, a, lda, b, ldb, 0, new float[c.Length], ldc);
        for (int i = 0; i < m; i++) for (int j = n; j < ldc; j++) expected[i * ldc + j] = -7.25f;
        for (int i = m * ldc; i < c.Length; i++) expected[i] = Sentinel;

        using (KernelIsaSelector.Force(isa))
        using (SgemmPathSelector.Force(path))
            Gemm.SgemmWithColumnSums(ta, tb, m, n, k, a, lda, b, ldb, c, ldc, sumsArray.AsSpan(Guard, n));

        string what = $"{isa} {path} tA={ta} tB={tb} m={m} n={n} k={k} pad={pad}";
        GemmTests.AssertClose(expected, c, k, what + " (C)");
        for (int i = 0; i < Guard; i++)
        {
            Assert.True(sumsArray[i] == Sentinel, $"{what}: wrote before the column sums at {i - Guard}.");
            Assert.True(sumsArray[Guard + n + i] == Sentinel, $"{what}: wrote past the column sums at {n + i}.");
        }

        var sums = sumsArray.AsSpan(Guard, n).ToArray();
        GemmTests.AssertClose(ReferenceSums(tb, n, k, b, ldb), sums, k, what + " (column sums)");
        return new Result(c, sums);
    }

    [Theory]
    [MemberData(nameof(SgemmPathTests.IsasAndPaths), MemberType = typeof(SgemmPathTests))]
    public void Sums_and_product_match_reference_around_tile_and_strip_bounds(int isaValue, int pathValue)
    {
        var isa = (KernelIsa)isaValue;
        var path = (SgemmPath)pathValue;
        // Widths around the unpacked strips (16..64) and the packed slivers (4, 16, 32); heights around the
        // tile heights (ragged first tiles included); depths on both sides of the packed KC (128, 256, 512).
        int[] widths = [1, 2, 3, 4, 5, 10, 15, 16, 17, 31, 32, 33, 47, 48, 49, 50, 63, 64, 65, 100];
        int[] heights = [1, 2, 3, 5, 6, 7, 8, 11, 12, 13, 25];
        int[] depths = [1, 2, 3, 7, 16, 50, 127, 129, 255, 257, 300, 513];
        int seed = 2000;
        foreach (var (ta, tb) in SgemmEpilogueTests.Transposes())
        {
            var rng = new System.Random(seed);
            for (int t = 0; t < 12; t++)
            {
                int m = heights[rng.Next(heights.Length)], n = widths[rng.Next(widths.Length)], k = depths[rng.Next(depths.Length)];
                Check(isa, path, ta, tb, m, n, k, pad: t % 3, seed: seed++);
            }
        }
    }

    [Theory]
    [MemberData(nameof(SgemmPathTests.IsasAndPaths), MemberType = typeof(SgemmPathTests))]
    public void Sums_add_up_over_k_blocks_and_column_panels(int isaValue, int pathValue)
    {
        // k = 1100 is 3 KC blocks of AVX-512, 5 of AVX2 and 9 of the scalar kernel: a block written instead
        // of added (or added twice) is off by a whole block's sum. n = 2100 crosses every kernel's NC panel.
        var isa = (KernelIsa)isaValue;
        var path = (SgemmPath)pathValue;
        int seed = 2200;
        foreach (var (ta, tb) in SgemmEpilogueTests.Transposes())
        {
            Check(isa, path, ta, tb, 13, 37, 1100, pad: 1, seed: seed++);
            Check(isa, path, ta, tb, 24, 48, 600, pad: 0, seed: seed++);
            Check(isa, path, ta, tb, 3, 2100, 5, pad: 2, seed: seed++);
        }
    }

    [Theory]
    [MemberData(nameof(SgemmPathTests.IsasAndPaths), MemberType = typeof(SgemmPathTests))]
    public void Degenerate_sizes_still_give_every_column_sum(int isaValue, int pathValue)
    {
        var isa = (KernelIsa)isaValue;
        var path = (SgemmPath)pathValue;
        int seed = 2400;
        foreach (var (ta, tb) in SgemmEpilogueTests.Transposes())
        {
            Check(isa, path, ta, tb, 1, 1, 1, pad: 0, seed: seed++);
            Check(isa, path, ta, tb, 7, 1, 9, pad: 1, seed: seed++);   // n = 1
            Check(isa, path, ta, tb, 9, 10, 1, pad: 0, seed: seed++);  // k = 1
            Check(isa, path, ta, tb, 6, 9, 0, pad: 0, seed: seed++);   // k = 0: C and sums zero
            Check(isa, path, ta, tb, 0, 10, 4, pad: 0, seed: seed++);  // no rows: the sums are still needed
            Check(isa, path, ta, tb, 5, 0, 4, pad: 1, seed: seed++);   // no columns: nothing to do
        }
    }

    [Fact]
    public void K_zero_overwrites_nan_sums_with_zero()
    {
        var sums = new[] { float.NaN, float.NaN, float.NaN };
        var c = new[] { float.NaN, float.NaN, float.NaN, float.NaN, float.NaN, float.NaN };
        Gemm.SgemmWithColumnSums(true, false, 2, 3, 0, [], 2, [], 3, c, 3, sums);
        Assert.Equal(new float[3], sums);
        Assert.Equal(new float[6], c);
    }

    [Theory]
    [MemberData(nameof(TestData.Isas), MemberType = typeof(TestData))]
    public void Each_column_is_summed_once_when_threads_split_the_product(int isaValue)
    {
        // Above the parallel thresholds: packed products split by columns (n >= m; each slab packs its own
        // columns) and by rows (every slab packs all of B; only the first may sum), and the unpacked path split
        // by rows. Whatever the split, the result must equal one thread's bit for bit.
        var isa = (KernelIsa)isaValue;
        (SgemmPath Path, bool Ta, int M, int N, int K)[] cases =
        [
            (SgemmPath.Packed, true, 64, 300, 40),
            (SgemmPath.Packed, true, 300, 70, 30),
            // Row slabs with k over several KC blocks: a second slab's sums would add whole blocks again.
            (SgemmPath.Packed, true, 300, 40, 1100),
            (SgemmPath.Auto, true, 784, 512, 128),
            (SgemmPath.Direct, true, 200, 50, 100),
            (SgemmPath.Direct, false, 300, 10, 300),
        ];
        int seed = 2600;
        foreach (var (path, ta, m, n, k) in cases)
        {
            Assert.True((long)m * n * k >= Gemm.ParallelThreshold);
            var split = Check(isa, path, ta, false, m, n, k, pad: 0, seed: seed);
            Result serial;
            using (KernelParallel.LimitDegree(1))
                serial = Check(isa, path, ta, false, m, n, k, pad: 0, seed: seed);
            Assert.Equal(serial.Sums, split.Sums);
            Assert.Equal(serial.C, split.C);
            seed++;
        }
    }

    [Theory]
    [MemberData(nameof(TestData.Isas), MemberType = typeof(TestData))]
    public void Dense_layer_backward_shapes_match_reference(int isaValue)
    {
        // dW = Xᵀ·dY with db = Σ_batch dY for the MLP (batch 128: 784 → 512 → 512 → 10) and the two-layer step
        // (batch 200: 100 → 50 → 10), on the automatically chosen path, as the generated code calls them.
        var isa = (KernelIsa)isaValue;
        (int M, int N, int K)[] shapes = [(784, 512, 128), (512, 512, 128), (512, 10, 128), (100, 50, 200), (50, 10, 200)];
        int seed = 2800;
        foreach (var (m, n, k) in shapes) Check(isa, SgemmPath.Auto, true, false, m, n, k, pad: 0, seed: seed++);
    }

    [Fact]
    public void Bad_sums_are_rejected_with_the_argument_named()
    {
        var a = new float[6];
        var b = new float[6];
        var c = new float[4];
        var wrongLength = Assert.Throws<ArgumentException>(() =>
            Gemm.SgemmWithColumnSums(false, false, 2, 2, 3, a, 3, b, 2, c, 2, new float[3]));
        Assert.Equal("columnSums", wrongLength.ParamName);
        var sharedWithB = new float[8];
        var overInput = Assert.Throws<ArgumentException>(() =>
            Gemm.SgemmWithColumnSums(false, false, 2, 2, 3, a, 3, sharedWithB.AsSpan(0, 6), 2, c, 2, sharedWithB.AsSpan(5, 2)));
        Assert.Equal("columnSums", overInput.ParamName);
        var sharedWithC = new float[6];
        var overC = Assert.Throws<ArgumentException>(() =>
            Gemm.SgemmWithColumnSums(false, false, 2, 2, 3, a, 3, b, 2, sharedWithC.AsSpan(0, 4), 2, sharedWithC.AsSpan(3, 2)));
        Assert.Equal("c", overC.ParamName);
        Assert.Contains("column sums", overC.Message);
    }
}
