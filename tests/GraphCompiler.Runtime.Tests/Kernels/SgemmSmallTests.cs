using GraphCompiler.Runtime.Kernels;

namespace GraphCompiler.Runtime.Tests.Kernels;

/// <summary>
/// The tiny-product kernel (<see cref="SgemmSmall"/>) on every ISA the machine has: forced onto random and
/// edge shapes in all four transposes (its dot-product, row-update, copied-Bᵀ and Aᵀ·Bᵀ loops), through
/// <see cref="Gemm.Sgemm"/> and <see cref="Gemm.BatchedSgemm"/> with padded strides, gaps between batch items
/// and shared operands, and on the word2vec step's shapes on the automatic path.
/// </summary>
public class SgemmSmallTests
{
    private const float Sentinel = 12345.5f;

    /// <summary>One product or batch of products: shapes, scalars, layout and poison.</summary>
    private sealed record Case(bool TransA, bool TransB, int Batch, int M, int N, int K, float Alpha, float Beta)
    {
        public int Pad { get; init; }
        public bool ShareA { get; init; }
        public bool ShareB { get; init; }
        public bool NanInC { get; init; }
        public bool NanInAB { get; init; }
        public int Seed { get; init; }

        public override string ToString() =>
            $"{(TransA ? "T" : "N")}{(TransB ? "T" : "N")} batch={Batch} {M}x{N}x{K} alpha={Alpha} beta={Beta} pad={Pad} " +
            $"shareA={ShareA} shareB={ShareB} nanC={NanInC} nanAB={NanInAB}";
    }

    /// <summary>
    /// Runs <paramref name="t"/> on <paramref name="isa"/> and <paramref name="path"/> and checks every element of
    /// the C buffer: each item's m×n block against the double reference, and everything else — padding
    /// columns, gaps between items, a sentinel tail — unchanged.
    /// </summary>
    private static void Check(KernelIsa isa, SgemmPath path, Case t, bool single = false)
    {
        var rng = new System.Random(t.Seed);
        var (ta, tb, batch, m, n, k) = (t.TransA, t.TransB, t.Batch, t.M, t.N, t.K);
        int lda = Math.Max(1, ta ? m : k) + t.Pad, ldb = Math.Max(1, tb ? k : n) + t.Pad, ldc = Math.Max(1, n) + t.Pad;
        int sizeA = (ta ? k : m) * lda, sizeB = (tb ? n : k) * ldb, sizeC = m * ldc;
        // Gaps between items (stride larger than one matrix) must be skipped; stride 0 shares one matrix.
        int strideA = t.ShareA ? 0 : sizeA + t.Pad, strideB = t.ShareB ? 0 : sizeB + 2 * t.Pad, strideC = sizeC + t.Pad;
        var a = TestData.Floats(rng, Math.Max(batch - 1, 0) * strideA + sizeA);
        var b = TestData.Floats(rng, Math.Max(batch - 1, 0) * strideB + sizeB);
        if (t.NanInAB)
        {
            Array.Fill(a, float.NaN);
            Array.Fill(b, float.NaN);
        }

        const int tail = 37;
        var c = TestData.Floats(rng, Math.Max(batch - 1, 0) * strideC + sizeC + tail);
        var inside = new bool[c.Length];
        for (int item = 0; item < batch; item++)
        for (int i = 0; i < m; i++)
        for (int j = 0; j < n; j++)
        {
            int at = item * strideC + i * ldc + j;
            inside[at] = true;
            if (t.NanInC) c[at] = float.NaN;
        }

        for (int i = 0; i < c.Length; i++) if (!inside[i]) c[i] = Sentinel;
        var expected = c.Select(v => (double)v).ToArray();
        for (int item = 0; item < batch; item++)
        {
            var itemA = a.AsSpan(item * strideA, sizeA).ToArray();
            var itemB = b.AsSpan(item * strideB, sizeB).ToArray();
            var itemC = c.AsSpan(item * strideC, sizeC).ToArray();
            // alpha 0 (or k 0) must not read A or B, which may hold NaN: C is only scaled.
            var reference = t.Alpha == 0 || k == 0
                ? itemC.Select(v => t.Beta == 0 ? 0.0 : (double)t.Beta * v).ToArray()
                : GemmTests.Reference(ta, tb, m, n, k, t.Alpha, itemA, lda, itemB, ldb, t.Beta, itemC, ldc);
            for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
                expected[item * strideC + i * ldc + j] = reference[i * ldc + j];
        }

        using (KernelIsaSelector.Force(isa))
        using (SgemmPathSelector.Force(path))
        {
            if (single) Gemm.Sgemm(ta, tb, m, n, k, t.Alpha, a, lda, b, ldb, t.Beta, c, ldc);
            else Gemm.BatchedSgemm(ta, tb, batch, m, n, k, t.Alpha, a, lda, strideA, b, ldb, strideB, t.Beta, c, ldc, strideC);
        }

        string what = $"{isa} {path} {(single ? "Sgemm" : "BatchedSgemm")} {t}";
        for (int i = 0; i < c.Length; i++)
            if (!inside[i]) Assert.True(c[i] == Sentinel, $"{what}: wrote outside the products at element {i}.");
        GemmTests.AssertClose(expected, c, k, what);
    }

    [Theory]
    [MemberData(nameof(TestData.Isas), MemberType = typeof(TestData))]
    public void Random_shapes_in_all_transposes_match_reference(int isaValue)
    {
        // Sizes around the vector widths (4, 8, 16) and tile sizes (2 and 4 rows, 2 and 4 vectors), with
        // padded strides and every kind of alpha and beta, forced onto the kernel whatever the size.
        var isa = (KernelIsa)isaValue;
        int[] sizes = [1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 47, 64, 65, 129];
        int seed = 3000;
        foreach (bool ta in new[] { false, true })
        foreach (bool tb in new[] { false, true })
        {
            var rng = new System.Random(seed);
            for (int trial = 0; trial < 16; trial++)
            {
                int m = sizes[rng.Next(sizes.Length)], n = sizes[rng.Next(sizes.Length)], k = sizes[rng.Next(sizes.Length)];
                float alpha = (trial % 3) switch { 0 => 1f, 1 => -0.75f, _ => 2.5f };
                float beta = (trial % 4) switch { 0 => 0f, 1 => 1f, 2 => 0.5f, _ => -2f };
                var t = new Case(ta, tb, 1, m, n, k, alpha, beta) { Pad = trial % 3, Seed = seed++ };
                Check(isa, SgemmPath.Small, t, single: trial % 2 == 0);
            }
        }
    }

    [Theory]
    [MemberData(nameof(TestData.Isas), MemberType = typeof(TestData))]
    public void Edge_shapes_match_reference(int isaValue)
    {
        // Thin and odd shapes: vectors of one element, k tails of every length, n below one vector, k = 1.
        var isa = (KernelIsa)isaValue;
        (int m, int n, int k)[] shapes =
        [
            (1, 1, 1), (1, 5, 128), (1, 128, 5), (5, 128, 1), (1, 1, 129), (3, 5, 17), (17, 33, 3), (33, 3, 129),
            (5, 17, 33), (129, 1, 5), (2, 129, 2), (4, 16, 1), (6, 48, 7), (9, 4, 300),
        ];
        int seed = 4000;
        foreach (bool ta in new[] { false, true })
        foreach (bool tb in new[] { false, true })
        foreach (var (m, n, k) in shapes)
        {
            Check(isa, SgemmPath.Small, new Case(ta, tb, 1, m, n, k, 1f, 0f) { Seed = seed++ }, single: true);
            Check(isa, SgemmPath.Small, new Case(ta, tb, 1, m, n, k, -1.5f, 0.25f) { Pad = 3, Seed = seed++ });
        }
    }

    [Theory]
    [MemberData(nameof(TestData.Isas), MemberType = typeof(TestData))]
    public void Beta_zero_overwrites_nan_in_c(int isaValue)
    {
        var isa = (KernelIsa)isaValue;
        int seed = 5000;
        foreach (bool ta in new[] { false, true })
        foreach (bool tb in new[] { false, true })
        foreach (var (m, n, k) in new[] { (16, 5, 128), (16, 128, 5), (5, 128, 16), (7, 9, 3), (32, 32, 8) })
        {
            var t = new Case(ta, tb, 3, m, n, k, 0.5f, 0f) { NanInC = true, Pad = 1, Seed = seed++ };
            Check(isa, SgemmPath.Small, t);
            Check(isa, SgemmPath.Auto, t with { Seed = seed++ });
        }
    }

    [Theory]
    [MemberData(nameof(TestData.Isas), MemberType = typeof(TestData))]
    public void Alpha_zero_or_k_zero_only_scales_c_and_never_reads_a_or_b(int isaValue)
    {
        var isa = (KernelIsa)isaValue;
        int seed = 6000;
        foreach (bool ta in new[] { false, true })
        foreach (bool tb in new[] { false, true })
        foreach (float beta in new[] { 0f, 1f, -3f })
        {
            // A and B hold NaN: any read of them would leak into C.
            Check(isa, SgemmPath.Small, new Case(ta, tb, 2, 6, 20, 9, 0f, beta) { NanInAB = true, Pad = 2, Seed = seed++ });
            Check(isa, SgemmPath.Auto, new Case(ta, tb, 2, 16, 5, 128, 0f, beta) { NanInAB = true, Seed = seed++ });
            // k = 0: there is nothing to read (A and B have no elements per row).
            Check(isa, SgemmPath.Small, new Case(ta, tb, 3, 4, 7, 0, 1f, beta) { Pad = 1, Seed = seed++ });
            Check(isa, SgemmPath.Auto, new Case(ta, tb, 1, 5, 3, 0, 2f, beta) { Seed = seed++ }, single: true);
        }

        // beta 0 with alpha 0 also clears NaN in C.
        Check(isa, SgemmPath.Small, new Case(false, true, 2, 3, 4, 5, 0f, 0f) { NanInAB = true, NanInC = true, Seed = seed });
    }

    [Theory]
    [MemberData(nameof(TestData.Isas), MemberType = typeof(TestData))]
    public void Batches_with_gaps_and_shared_operands_match_reference(int isaValue)
    {
        // Stride 0 shares A or B (weights), strides above one matrix leave gaps that must stay untouched. The
        // shapes cover the dot-product loop (k long), the copied-Bᵀ loop (k short; copied once when B is
        // shared), the row-update loops and Aᵀ·Bᵀ.
        var isa = (KernelIsa)isaValue;
        int seed = 7000;
        foreach (bool ta in new[] { false, true })
        foreach (bool tb in new[] { false, true })
        foreach (var (m, n, k) in new[] { (16, 5, 128), (1, 5, 128), (16, 128, 5), (5, 128, 16), (32, 32, 8), (3, 7, 2) })
        foreach (var (shareA, shareB) in new[] { (false, false), (true, false), (false, true) })
        {
            var t = new Case(ta, tb, 5, m, n, k, 1.25f, seed % 2 == 0 ? 0f : -0.5f)
            {
                ShareA = shareA, ShareB = shareB, Pad = seed % 3, Seed = seed++,
            };
            Check(isa, SgemmPath.Small, t);
        }
    }

    [Theory]
    [MemberData(nameof(TestData.Isas), MemberType = typeof(TestData))]
    public void Word2vec_step_shapes_take_the_kernel_and_match_reference(int isaValue)
    {
        // Per group: logits = h·noiseᵀ, dX = dLogits·noise, dNoise = dLogitsᵀ·h, batched over 8 groups (and 128
        // groups of one row), on the automatic path, overwriting and accumulating.
        var isa = (KernelIsa)isaValue;
        (bool ta, bool tb, int batch, int m, int n, int k)[] shapes =
        [
            (false, true, 8, 16, 5, 128), (false, false, 8, 16, 128, 5), (true, false, 8, 5, 128, 16),
            (false, true, 128, 1, 5, 128), (false, false, 128, 1, 128, 5), (true, false, 128, 5, 128, 1),
        ];
        int seed = 8000;
        foreach (var (ta, tb, batch, m, n, k) in shapes)
        {
            Assert.True(SgemmSmall.Suits(Problem(ta, tb, m, n, k)), $"{m}x{n}x{k} should take the small-product kernel");
            Check(isa, SgemmPath.Auto, new Case(ta, tb, batch, m, n, k, 1f, 0f) { NanInC = true, Seed = seed++ });
            Check(isa, SgemmPath.Auto, new Case(ta, tb, batch, m, n, k, -0.025f, 1f) { Seed = seed++ });
        }
    }

    [Fact]
    public void Only_small_products_take_the_kernel()
    {
        Assert.True(SgemmSmall.Suits(Problem(false, false, 32, 64, 32)));
        Assert.False(SgemmSmall.Suits(Problem(false, false, 64, 64, 64)));
        Assert.False(SgemmSmall.Suits(Problem(true, true, 200, 50, 100)));
    }

    [Fact]
    public void Parallel_batches_of_small_products_match_one_thread_bit_for_bit()
    {
        // 64 logits products are past the parallel threshold as a batch, so the items are spread over the pool;
        // each is still one call of the kernel on one thread, so the thread count cannot change a bit.
        int batch = 64, m = 16, n = 5, k = 128;
        Assert.True((long)batch * m * n * k >= Gemm.ParallelThreshold);
        var rng = new System.Random(99);
        var a = TestData.Floats(rng, batch * m * k);
        var b = TestData.Floats(rng, batch * n * k);
        var parallel = new float[batch * m * n];
        var serial = new float[batch * m * n];
        Gemm.BatchedSgemm(false, true, batch, m, n, k, 1f, a, k, m * k, b, k, n * k, 0f, parallel, n, m * n);
        using (KernelParallel.LimitDegree(1))
            Gemm.BatchedSgemm(false, true, batch, m, n, k, 1f, a, k, m * k, b, k, n * k, 0f, serial, n, m * n);
        Assert.Equal(serial, parallel);
    }

    [Theory]
    [MemberData(nameof(TestData.Isas), MemberType = typeof(TestData))]
    public void Empty_batches_and_empty_outputs_touch_nothing(int isaValue)
    {
        using var isa = KernelIsaSelector.Force((KernelIsa)isaValue);
        using var path = SgemmPathSelector.Force(SgemmPath.Small);
        var c = new float[] { 42, 43 };
        Gemm.BatchedSgemm(false, true, 0, 16, 5, 128, 1f, [], 128, 2048, [], 128, 640, 0f, c, 5, 80);
        Gemm.BatchedSgemm(false, false, 3, 0, 5, 4, 1f, [], 4, 0, new float[20], 5, 0, 0f, c, 5, 0);
        Gemm.Sgemm(true, false, 4, 0, 3, 1f, new float[12], 4, [], 1, 0f, [], 1);
        Assert.Equal(new float[] { 42, 43 }, c);
    }

    [Fact]
    public void Kernel_refuses_fused_products()
    {
        // The fused entry points (bias, relu, column sums) never route here; a caller that did would get
        // silently unfused results, so the kernel says so instead.
        var p = Problem(false, false, 2, 2, 2);
        unsafe
        {
            float bias = 0;
            p.Epilogue = new SgemmEpilogue(&bias, GemmActivation.Relu);
            var e = Assert.Throws<InvalidOperationException>(() => SgemmSmall.Run(KernelIsa.Scalar, p));
            Assert.Contains("plain products", e.Message);
        }
    }

    /// <summary>A descriptor of a densely stored product (no data: only shape and strides matter to Suits).</summary>
    private static SgemmProblem Problem(bool ta, bool tb, int m, int n, int k) => new()
    {
        M = m,
        N = n,
        K = k,
        Alpha = 1f,
        RowStrideA = ta ? 1 : k,
        ColStrideA = ta ? m : 1,
        RowStrideB = tb ? 1 : n,
        ColStrideB = tb ? k : 1,
        Ldc = n,
    };
}
