using GraphCompiler.Runtime.Kernels;

namespace GraphCompiler.Runtime.Tests.Kernels;

/// <summary>
/// <see cref="Gemm.SgemmBiasActivation"/>: the bias and relu applied inside the GEMM kernels' stores, on every
/// ISA and both paths, against a reference that sums in double and only then adds the bias and applies relu.
/// The bias values are large next to one product term, so a bias added twice (or to a partial k block) or a
/// relu applied to a partial sum shows up as a wrong element.
/// </summary>
public class SgemmEpilogueTests
{
    private const float Sentinel = 12345.5f;

    /// <summary>act(op(A)·op(B) + bias) in double, straight from the definition; NaN goes through relu as 0.</summary>
    private static double[] Reference(bool ta, bool tb, int m, int n, int k, float[] a, int lda, float[] b, int ldb,
        float[] bias, GemmActivation activation, int ldc)
    {
        var result = new double[m * ldc];
        for (int i = 0; i < m; i++)
        for (int j = 0; j < n; j++)
        {
            double s = 0;
            for (int p = 0; p < k; p++)
                s += (double)(ta ? a[p * lda + i] : a[i * lda + p]) * (tb ? b[j * ldb + p] : b[p * ldb + j]);
            if (bias.Length > 0) s += bias[j];
            result[i * ldc + j] = activation == GemmActivation.Relu && !(s > 0) ? 0 : s;
        }

        return result;
    }

    /// <summary>
    /// Runs one fused product with the given ISA and path on a C pre-filled with NaN (beta is 0: it must be
    /// overwritten) and checks every element, the padding columns and a sentinel tail after the last row.
    /// </summary>
    private static void Check(KernelIsa isa, SgemmPath path, bool ta, bool tb, int m, int n, int k, bool withBias,
        GemmActivation activation, int pad, int seed, int nanRowOfA = -1)
    {
        var rng = new System.Random(seed);
        int lda = Math.Max(1, ta ? m : k) + pad, ldb = Math.Max(1, tb ? k : n) + pad, ldc = n + pad;
        var a = TestData.Floats(rng, (ta ? k : m) * lda);
        var b = TestData.Floats(rng, (tb ? n : k) * ldb);
        if (nanRowOfA >= 0)
            for (int p = 0; p < k; p += 3) a[ta ? p * lda + nanRowOfA : nanRowOfA * lda + p] = float.NaN;
        // A spread of ±4 dwarfs one product term (at most 1) and puts about half the outputs either side of 0.
        var bias = withBias ? TestData.Floats(rng, n, scale: 4f) : [];
        const int tail = 40;
        var c = new float[m * ldc + tail];
        Array.Fill(c, float.NaN, 0, m * ldc);
        for (int i = 0; i < m; i++) for (int j = n; j < ldc; j++) c[i * ldc + j] = -7.25f; // padding
        Array.Fill(c, Sentinel, m * ldc, tail);
        var expected = Reference(ta, tb, m, n, k, a, lda, b, ldb, bias, activation, ldc);
        for (int i = 0; i < m; i++) for (int j = n; j < ldc; j++) expected[i * ldc + j] = -7.25f;

        using (KernelIsaSelector.Force(isa))
        using (SgemmPathSelector.Force(path))
            Gemm.SgemmBiasActivation(ta, tb, m, n, k, a, lda, b, ldb, bias, activation, c, ldc);

        string what = $"{isa} {path} tA={ta} tB={tb} m={m} n={n} k={k} bias={withBias} {activation} pad={pad}";
        for (int i = m * ldc; i < c.Length; i++)
            Assert.True(c[i] == Sentinel, $"{what}: wrote past the last row of C at element {i}.");
        GemmTests.AssertClose(expected, c, k, what);
    }

    /// <summary>The four transpose combinations of A and B.</summary>
    internal static IEnumerable<(bool Ta, bool Tb)> Transposes()
    {
        foreach (bool ta in new[] { false, true })
        foreach (bool tb in new[] { false, true })
            yield return (ta, tb);
    }

    private static readonly (bool Bias, GemmActivation Activation)[] Epilogues =
        [(true, GemmActivation.Relu), (true, GemmActivation.None), (false, GemmActivation.Relu), (false, GemmActivation.None)];

    [Theory]
    [MemberData(nameof(SgemmPathTests.IsasAndPaths), MemberType = typeof(SgemmPathTests))]
    public void Fused_bias_and_relu_match_reference_around_tile_and_strip_bounds(int isaValue, int pathValue)
    {
        var isa = (KernelIsa)isaValue;
        var path = (SgemmPath)pathValue;
        // Widths around the unpacked strips (16..64) and the packed tiles (4, 16, 32); heights around the
        // tile heights (4, 6, 8, 12); depths on both sides of the scalar (128) and vector (256) KC.
        int[] widths = [1, 2, 3, 4, 5, 10, 15, 16, 17, 31, 32, 33, 47, 48, 49, 50, 63, 64, 65, 100];
        int[] heights = [1, 2, 3, 5, 6, 7, 8, 11, 12, 13, 25];
        int[] depths = [1, 2, 7, 16, 50, 127, 129, 255, 257, 300];
        int seed = 700;
        foreach (var (ta, tb) in Transposes())
        {
            var rng = new System.Random(seed);
            for (int t = 0; t < 12; t++)
            {
                int m = heights[rng.Next(heights.Length)], n = widths[rng.Next(widths.Length)], k = depths[rng.Next(depths.Length)];
                var (bias, activation) = Epilogues[t % Epilogues.Length];
                Check(isa, path, ta, tb, m, n, k, bias, activation, pad: t % 3, seed: seed++);
            }
        }
    }

    [Theory]
    [MemberData(nameof(SgemmPathTests.IsasAndPaths), MemberType = typeof(SgemmPathTests))]
    public void Epilogue_runs_once_when_k_spans_several_blocks(int isaValue, int pathValue)
    {
        // k = 600 is three KC blocks of the AVX kernels and five of the scalar one: a bias added per block,
        // or relu on a partial sum, would be off by whole bias values. 24x48 has full and edge tiles.
        var isa = (KernelIsa)isaValue;
        var path = (SgemmPath)pathValue;
        int seed = 900;
        foreach (var (ta, tb) in Transposes())
        {
            Check(isa, path, ta, tb, 24, 48, 600, true, GemmActivation.Relu, pad: 1, seed: seed++);
            Check(isa, path, ta, tb, 13, 37, 513, true, GemmActivation.None, pad: 0, seed: seed++);
            Check(isa, path, ta, tb, 12, 32, 257, false, GemmActivation.Relu, pad: 2, seed: seed++);
        }
    }

    [Theory]
    [MemberData(nameof(SgemmPathTests.IsasAndPaths), MemberType = typeof(SgemmPathTests))]
    public void Dense_layer_widths_and_degenerate_sizes(int isaValue, int pathValue)
    {
        var isa = (KernelIsa)isaValue;
        var path = (SgemmPath)pathValue;
        int seed = 1100;
        foreach (var (ta, tb) in Transposes())
        {
            foreach (var (bias, activation) in Epilogues)
            {
                Check(isa, path, ta, tb, 37, 10, 50, bias, activation, pad: 0, seed: seed++); // logits layer
                Check(isa, path, ta, tb, 29, 50, 100, bias, activation, pad: 1, seed: seed++); // hidden layer
                Check(isa, path, ta, tb, 1, 1, 1, bias, activation, pad: 0, seed: seed++);
                Check(isa, path, ta, tb, 0, 10, 4, bias, activation, pad: 0, seed: seed++);
                Check(isa, path, ta, tb, 5, 0, 4, bias, activation, pad: 1, seed: seed++);
                Check(isa, path, ta, tb, 6, 9, 0, bias, activation, pad: 0, seed: seed++); // C = act(bias)
            }
        }
    }

    [Theory]
    [MemberData(nameof(SgemmPathTests.IsasAndPaths), MemberType = typeof(SgemmPathTests))]
    public void Relu_maps_nan_to_zero_and_plain_store_keeps_it(int isaValue, int pathValue)
    {
        // NaN in one row of A makes that row of the product NaN: relu must store 0 there, no activation NaN.
        var isa = (KernelIsa)isaValue;
        var path = (SgemmPath)pathValue;
        int seed = 1300;
        foreach (var (ta, tb) in Transposes())
        {
            Check(isa, path, ta, tb, 14, 50, 20, true, GemmActivation.Relu, pad: 0, seed: seed++, nanRowOfA: 3);
            Check(isa, path, ta, tb, 14, 10, 300, false, GemmActivation.Relu, pad: 1, seed: seed++, nanRowOfA: 13);
            Check(isa, path, ta, tb, 14, 33, 20, true, GemmActivation.None, pad: 0, seed: seed++, nanRowOfA: 0);
        }
    }

    [Theory]
    [MemberData(nameof(TestData.Isas), MemberType = typeof(TestData))]
    public void Bias_follows_column_blocks_and_thread_slabs(int isaValue)
    {
        // Products split across threads (by columns when n >= m, by rows otherwise) and past the packed
        // row (MC) and column (NC) blocks: each slab's and block's bias must be its own columns'.
        var isa = (KernelIsa)isaValue;
        int seed = 1500;
        Check(isa, SgemmPath.Auto, false, false, 64, 300, 40, true, GemmActivation.Relu, 0, seed++);
        Check(isa, SgemmPath.Packed, false, true, 300, 70, 30, true, GemmActivation.Relu, 1, seed++);
        Check(isa, SgemmPath.Packed, true, false, 200, 9, 5, true, GemmActivation.None, 0, seed++);
        Check(isa, SgemmPath.Packed, false, false, 3, 2100, 5, true, GemmActivation.Relu, 0, seed++);
        Check(isa, SgemmPath.Direct, false, false, 200, 50, 100, true, GemmActivation.Relu, 0, seed++);
    }

    [Theory]
    [MemberData(nameof(TestData.Isas), MemberType = typeof(TestData))]
    public void Mlp_dense_layer_shapes_match_reference(int isaValue)
    {
        // The MLP's dense layers (batch 128: 784 → 512 → 512) and the two-layer step's first layer, on the
        // automatically chosen path, as the generated code calls them.
        var isa = (KernelIsa)isaValue;
        Check(isa, SgemmPath.Auto, false, false, 128, 512, 784, true, GemmActivation.Relu, 0, 1700);
        Check(isa, SgemmPath.Auto, false, false, 128, 512, 512, true, GemmActivation.Relu, 0, 1701);
        Check(isa, SgemmPath.Auto, false, false, 200, 50, 100, true, GemmActivation.Relu, 0, 1702);
        Check(isa, SgemmPath.Auto, false, false, 200, 10, 50, true, GemmActivation.None, 0, 1703);
    }

    [Fact]
    public void Bad_bias_or_activation_is_rejected_with_the_argument_named()
    {
        var a = new float[6];
        var b = new float[6];
        var c = new float[4];
        var tooShort = Assert.Throws<ArgumentException>(() =>
            Gemm.SgemmBiasActivation(false, false, 2, 2, 3, a, 3, b, 2, new float[3], GemmActivation.None, c, 2));
        Assert.Equal("columnBias", tooShort.ParamName);
        var unknown = Assert.Throws<ArgumentOutOfRangeException>(() =>
            Gemm.SgemmBiasActivation(false, false, 2, 2, 3, a, 3, b, 2, [], (GemmActivation)7, c, 2));
        Assert.Equal("activation", unknown.ParamName);
        var shared = new float[6];
        var overlap = Assert.Throws<ArgumentException>(() =>
            Gemm.SgemmBiasActivation(false, false, 2, 2, 3, a, 3, b, 2, shared.AsSpan(2, 2), GemmActivation.Relu, shared.AsSpan(0, 4), 2));
        Assert.Equal("c", overlap.ParamName);
        Assert.Contains("bias", overlap.Message);
    }
}
