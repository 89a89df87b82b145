using GraphCompiler.Runtime.Devices;
using GraphCompiler.Runtime.Tests.Kernels;
using ILGPU;

namespace GraphCompiler.Runtime.Tests.Devices;

/// <summary>
/// The fused attention backward (dQ, dK, dV recomputed per tile from the forward's row maxima and sums) on ILGPU's CPU
/// accelerator against the double-precision reference, itself checked against finite differences: one and odd
/// sequence lengths, 33 (one past the tile), Tq ≠ Tk, several heads, batch 1, a padding mask and a causal band.
/// </summary>
[Collection(IlgpuCpuCollection.Name)]
public class DeviceAttentionBackwardTests(IlgpuCpuFixture fixture)
{
    private const float MaskedLogit = -1e9f;

    /// <summary>Random operands, a padding bias [batch, Tk] (key 0 always kept) and a causal band [Tq, Tk].</summary>
    private sealed class Problem
    {
        public Problem(int batch, int heads, int tq, int tk, int dk, int dv, bool padding, bool causal)
        {
            (Batch, Heads, Tq, Tk, Dk, Dv, Padding, Causal) = (batch, heads, tq, tk, dk, dv, padding, causal);
            var rng = new Random(batch * 1000 + heads * 100 + tq * 10 + tk + dk);
            Q = TestData.Floats(rng, Items * tq * dk, 2f);
            K = TestData.Floats(rng, Items * tk * dk, 2f);
            V = TestData.Floats(rng, Items * tk * dv, 3f);
            DO = TestData.Floats(rng, Items * tq * dv);
            PaddingBias = Enumerable.Range(0, batch * tk).Select(i => i % tk == 0 || rng.NextDouble() > 0.35 ? 0f : MaskedLogit).ToArray();
            Band = new float[tq * tk];
            for (int i = 0; i < tq; i++)
                for (int j = i + 1; j < tk; j++) Band[i * tk + j] = MaskedLogit;
            Scale = (float)(1 / Math.Sqrt(Math.Max(dk, 1)));
        }

        public int Batch, Heads, Tq, Tk, Dk, Dv;
        public bool Padding, Causal;
        public float[] Q, K, V, DO, PaddingBias, Band;
        public float Scale;

        public int Items => Batch * Heads;

        public int[] LogitShape => [Batch, Heads, Tq, Tk];

        public double Bias(int item, int i, int j) =>
            (Padding ? PaddingBias[item / Heads * Tk + j] : 0) + (Causal ? Band[i * Tk + j] : 0);

        public AttentionReference Reference => new(Items, Tq, Tk, Dk, Dv, Scale, Bias);
    }

    [Theory]
    [InlineData(1, 1, 1, 1, 4, 4, false, false)]    // seq 1, batch 1
    [InlineData(1, 1, 5, 5, 3, 2, false, false)]    // odd seq, dk ≠ dv
    [InlineData(2, 3, 7, 9, 4, 5, true, false)]     // several heads, padding mask
    [InlineData(1, 2, 33, 33, 8, 8, true, true)]    // one past the tile, both masks
    [InlineData(2, 1, 40, 70, 6, 3, true, false)]   // Tq ≠ Tk, not multiples of the tile
    [InlineData(3, 2, 17, 17, 16, 16, false, true)] // causal only
    public void Fused_backward_matches_the_direct_reference(int batch, int heads, int tq, int tk, int dk, int dv, bool padding, bool causal)
    {
        var p = new Problem(batch, heads, tq, tk, dk, dv, padding, causal);
        var (dq, dK, dV) = RunDevice(p);
        var (eq, ek, ev) = p.Reference.Gradients(Doubles(p.Q), Doubles(p.K), Doubles(p.V), Doubles(p.DO));
        AssertClose(eq, dq, "dQ");
        AssertClose(ek, dK, "dK");
        AssertClose(ev, dV, "dV");
        if (!padding && !causal) return;
        // A masked key takes no gradient from the rows that mask it: where every row masks it, dK and dV are exactly 0.
        for (int item = 0; item < p.Items; item++)
            for (int j = 0; j < tk; j++)
            {
                bool maskedEverywhere = Enumerable.Range(0, tq).All(i => p.Bias(item, i, j) < -1e8);
                if (!maskedEverywhere) continue;
                for (int d = 0; d < dv; d++) Assert.Equal(0f, dV[(item * tk + j) * dv + d]);
                for (int d = 0; d < dk; d++) Assert.Equal(0f, dK[(item * tk + j) * dk + d]);
            }
    }

    [Fact]
    public void The_reference_gradient_matches_finite_differences()
    {
        var p = new Problem(1, 2, 3, 4, 3, 2, true, true);
        var reference = p.Reference;
        var (q, k, v, dO) = (Doubles(p.Q), Doubles(p.K), Doubles(p.V), Doubles(p.DO));
        var (dq, dk, dv) = reference.Gradients(q, k, v, dO);
        double Loss() => reference.Output(q, k, v).Zip(dO, (a, b) => a * b).Sum();
        foreach (var (x, grad) in new[] { (q, dq), (k, dk), (v, dv) })
            for (int n = 0; n < x.Length; n++)
            {
                double keep = x[n], h = 1e-6;
                x[n] = keep + h;
                double up = Loss();
                x[n] = keep - h;
                double down = Loss();
                x[n] = keep;
                Assert.Equal((up - down) / (2 * h), grad[n], 1e-7);
            }
    }

    [Fact]
    public void Two_runs_give_identical_bits()
    {
        var p = new Problem(2, 2, 35, 41, 5, 7, true, false);
        var first = RunDevice(p);
        var second = RunDevice(p);
        Assert.Equal(first.DQ, second.DQ);
        Assert.Equal(first.DK, second.DK);
        Assert.Equal(first.DV, second.DV);
    }

    [Fact]
    public void No_queries_give_zero_key_gradients_and_no_keys_zero_query_gradients()
    {
        var noQueries = RunDevice(new Problem(1, 2, 0, 5, 3, 2, false, false));
        Assert.All(noQueries.DK, x => Assert.Equal(0f, x));
        Assert.All(noQueries.DV, x => Assert.Equal(0f, x));
        var noKeys = RunDevice(new Problem(1, 2, 4, 0, 3, 2, false, false));
        Assert.All(noKeys.DQ, x => Assert.Equal(0f, x));
        Assert.Equal(2 * 4 * 3, noKeys.DQ.Length);
    }

    [Fact]
    public void Wrong_lengths_are_refused()
    {
        using var one = fixture.Upload(new float[8]);
        var view = IlgpuCpuFixture.View(one, 4);
        var shape = new AttentionShape(1, 1, 1, 4, 4, 1f, 0);
        Assert.Throws<ArgumentException>(() => fixture.Device.Library.AttentionBackward(shape, view, view, view, default, default, default, default,
            view, view, view.SubView(0, 2), view.SubView(0, 1), view, view, view));
    }

    [Fact]
    public void Both_kernels_stage_no_more_shared_memory_than_the_forward()
    {
        // Whatever the forward fits (IlgpuCapabilities.FusesAttention), the backward fits too.
        foreach (var (dk, dv) in new[] { (32, 32), (64, 64), (88, 88), (1, 175) })
        {
            long forward = GraphCompiler.Compiler.Backends.Ilgpu.IlgpuCapabilities.AttentionSharedBytes(32, dk, dv);
            Assert.True(sizeof(float) * DeviceLibrary.KeyGradSharedFloats(32, dk, dv) <= forward);
            Assert.True(sizeof(float) * DeviceLibrary.QueryGradSharedFloats(32, dk, dv) <= forward);
        }
    }

    /// <summary>The device forward (for O and each row's maximum and sum, as a train step keeps them), then the fused backward.</summary>
    private (float[] DQ, float[] DK, float[] DV) RunDevice(Problem p)
    {
        int rows = p.Items * p.Tq, keyRows = p.Items * p.Tk;
        using var bq = fixture.Upload(p.Q);
        using var bk = fixture.Upload(p.K);
        using var bv = fixture.Upload(p.V);
        using var bdo = fixture.Upload(p.DO);
        using var bPad = fixture.Upload(p.PaddingBias);
        using var bBand = fixture.Upload(p.Band);
        using var bo = fixture.Upload(new float[rows * p.Dv]);
        using var bMax = fixture.Upload(new float[rows]);
        using var bSums = fixture.Upload(new float[rows]);
        using var bdq = fixture.Upload(Enumerable.Repeat(float.NaN, rows * p.Dk).ToArray());
        using var bdk = fixture.Upload(Enumerable.Repeat(float.NaN, keyRows * p.Dk).ToArray());
        using var bdv = fixture.Upload(Enumerable.Repeat(float.NaN, keyRows * p.Dv).ToArray());
        var biases = new List<(ArrayView<float> View, StridedMap Map)>();
        if (p.Padding) biases.Add((IlgpuCpuFixture.View(bPad, p.PaddingBias.Length), StridedMap.Broadcast([p.Batch, 1, 1, p.Tk], p.LogitShape)));
        if (p.Causal) biases.Add((IlgpuCpuFixture.View(bBand, p.Band.Length), StridedMap.Broadcast([p.Tq, p.Tk], p.LogitShape)));
        while (biases.Count < 2) biases.Add((default, default));
        var shape = new AttentionShape(p.Items, p.Tq, p.Tk, p.Dk, p.Dv, p.Scale, biases.Count(b => b.View.Length > 0));
        var (q, k, v) = (IlgpuCpuFixture.View(bq, p.Q.Length), IlgpuCpuFixture.View(bk, p.K.Length), IlgpuCpuFixture.View(bv, p.V.Length));
        var (o, max, sums) = (IlgpuCpuFixture.View(bo, rows * p.Dv), IlgpuCpuFixture.View(bMax, rows), IlgpuCpuFixture.View(bSums, rows));
        var library = fixture.Device.Library;
        library.Attention(shape, q, k, v, biases[0].View, biases[0].Map, biases[1].View, biases[1].Map, o, sums: sums, maxima: max);
        library.AttentionBackward(shape, q, k, v, biases[0].View, biases[0].Map, biases[1].View, biases[1].Map, o,
            IlgpuCpuFixture.View(bdo, p.DO.Length), max, sums, IlgpuCpuFixture.View(bdq, rows * p.Dk), IlgpuCpuFixture.View(bdk, keyRows * p.Dk), IlgpuCpuFixture.View(bdv, keyRows * p.Dv));
        return (fixture.Download(bdq, rows * p.Dk), fixture.Download(bdk, keyRows * p.Dk), fixture.Download(bdv, keyRows * p.Dv));
    }

    private static double[] Doubles(float[] values) => values.Select(x => (double)x).ToArray();

    private static void AssertClose(double[] expected, float[] actual, string name)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int n = 0; n < expected.Length; n++)
            Assert.True(Math.Abs(expected[n] - actual[n]) <= 2e-4 * (1 + Math.Abs(expected[n])), $"{name}[{n}]: expected {expected[n]}, got {actual[n]}");
    }
}
