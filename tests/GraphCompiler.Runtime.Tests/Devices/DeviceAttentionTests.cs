using GraphCompiler.Runtime.Devices;
using GraphCompiler.Runtime.Tests.Kernels;
using ILGPU;

namespace GraphCompiler.Runtime.Tests.Devices;

/// <summary>
/// The fused attention kernel on ILGPU's CPU accelerator against a direct double-precision reference (scores,
/// biases, softmax, weighted values): one and odd sequence lengths, lengths that are not a multiple of the key tile,
/// several items (batch × heads), a padding mask whose masked keys get zero weight, and a causal band.
/// </summary>
[Collection(IlgpuCpuCollection.Name)]
public class DeviceAttentionTests(IlgpuCpuFixture fixture)
{
    private const double MaskedLogit = -1e9;

    /// <summary>One problem: [batch, heads, Tq, Tk] logits, a padding mask [batch, 1, 1, Tk] and optionally a causal band [Tq, Tk].</summary>
    private sealed record Problem(int Batch, int Heads, int Tq, int Tk, int Dk, int Dv, bool Padding, bool Causal)
    {
        public int Items => Batch * Heads;

        public int[] LogitShape => [Batch, Heads, Tq, Tk];
    }

    private sealed record Result(float[] O, float[] LogSumExp, float[] Exps, float[] Sums, float[] Probabilities, float[] Maxima);

    [Theory]
    [InlineData(1, 1, 1, 1, 4, 4, false, false)]   // seq 1, batch 1
    [InlineData(1, 1, 5, 5, 3, 2, false, false)]   // odd seq
    [InlineData(2, 3, 7, 9, 4, 5, true, false)]    // several heads, padding mask
    [InlineData(1, 2, 33, 33, 8, 8, true, true)]   // past one tile, both masks
    [InlineData(2, 1, 40, 70, 6, 3, true, false)]  // not a multiple of the tile, Tq ≠ Tk
    [InlineData(3, 2, 17, 17, 16, 16, false, true)] // causal only
    public void Fused_attention_matches_the_direct_reference(int batch, int heads, int tq, int tk, int dk, int dv, bool padding, bool causal)
    {
        var p = new Problem(batch, heads, tq, tk, dk, dv, padding, causal);
        var rng = new Random(batch * 1000 + heads * 100 + tq * 10 + tk);
        var q = TestData.Floats(rng, p.Items * tq * dk, 2f);
        var k = TestData.Floats(rng, p.Items * tk * dk, 2f);
        var v = TestData.Floats(rng, p.Items * tk * dv, 3f);
        // Key 0 is always kept, so every row has an unmasked key; the rest are masked about a third of the time.
        var keep = Enumerable.Range(0, batch * tk).Select(i => i % tk == 0 || rng.NextDouble() > 0.35).ToArray();
        var paddingBias = keep.Select(kept => kept ? 0f : (float)MaskedLogit).ToArray();
        var band = new float[tq * tk];
        for (int i = 0; i < tq; i++)
            for (int j = i + 1; j < tk; j++) band[i * tk + j] = (float)MaskedLogit;
        double scale = 1 / Math.Sqrt(dk);

        var result = Run(p, q, k, v, paddingBias, band, (float)scale);
        for (int item = 0; item < p.Items; item++)
        {
            int b = item / heads;
            for (int i = 0; i < tq; i++)
            {
                long row = (long)item * tq + i;
                var x = new double[tk];
                for (int j = 0; j < tk; j++)
                {
                    double dot = 0;
                    for (int d = 0; d < dk; d++) dot += q[row * dk + d] * (double)k[((long)item * tk + j) * dk + d];
                    x[j] = scale * dot + (padding ? paddingBias[b * tk + j] : 0) + (causal ? band[i * tk + j] : 0);
                }
                double max = x.Max(), sum = x.Sum(s => Math.Exp(s - max));
                Assert.Equal(max + Math.Log(sum), result.LogSumExp[row], 1e-4);
                Assert.Equal(sum, result.Sums[row], 1e-4 * sum);
                Assert.Equal(max, result.Maxima[row], 1e-4 * Math.Max(1, Math.Abs(max)));
                for (int j = 0; j < tk; j++)
                {
                    double weight = Math.Exp(x[j] - max) / sum;
                    long at = row * tk + j;
                    Assert.Equal(weight, result.Probabilities[at], 1e-5);
                    Assert.Equal(Math.Exp(x[j] - max), result.Exps[at], 1e-5);
                    if (padding && !keep[b * tk + j] || causal && j > i) Assert.Equal(0f, result.Probabilities[at]);
                }
                for (int d = 0; d < dv; d++)
                {
                    double expected = 0;
                    for (int j = 0; j < tk; j++) expected += Math.Exp(x[j] - max) / sum * v[((long)item * tk + j) * dv + d];
                    Assert.Equal(expected, result.O[row * dv + d], 1e-4);
                }
            }
        }
    }

    [Fact]
    public void Without_optional_outputs_only_the_attention_is_written_and_equal()
    {
        var p = new Problem(2, 2, 9, 11, 5, 4, true, false);
        var rng = new Random(3);
        var (q, k, v) = (TestData.Floats(rng, p.Items * 9 * 5), TestData.Floats(rng, p.Items * 11 * 5), TestData.Floats(rng, p.Items * 11 * 4));
        var bias = Enumerable.Range(0, 2 * 11).Select(i => i % 3 == 1 ? (float)MaskedLogit : 0f).ToArray();
        var full = Run(p, q, k, v, bias, [], 0.5f);
        var device = fixture.Device;
        using var bq = fixture.Upload(q);
        using var bk = fixture.Upload(k);
        using var bv = fixture.Upload(v);
        using var bb = fixture.Upload(bias);
        using var bo = fixture.Upload(new float[p.Items * 9 * 4]);
        var shape = new AttentionShape(p.Items, 9, 11, 5, 4, 0.5f, Biases: 1);
        device.Library.Attention(shape, IlgpuCpuFixture.View(bq, q.Length), IlgpuCpuFixture.View(bk, k.Length), IlgpuCpuFixture.View(bv, v.Length),
            IlgpuCpuFixture.View(bb, bias.Length), StridedMap.Broadcast([2, 1, 1, 11], p.LogitShape), default, default, IlgpuCpuFixture.View(bo, p.Items * 9 * 4));
        Assert.Equal(full.O, fixture.Download(bo, p.Items * 9 * 4));
    }

    [Fact]
    public void Empty_queries_launch_nothing_and_wrong_lengths_are_refused()
    {
        var device = fixture.Device;
        using var one = fixture.Upload(new float[4]);
        var view = IlgpuCpuFixture.View(one, 4);
        device.Library.Attention(new AttentionShape(0, 3, 3, 2, 2, 1f, 0), view.SubView(0, 0), view.SubView(0, 0), view.SubView(0, 0), default, default, default, default, view.SubView(0, 0));
        Assert.Throws<ArgumentException>(() => device.Library.Attention(new AttentionShape(1, 1, 1, 2, 2, 1f, 0), view, view, view, default, default, default, default, view));
    }

    [Fact]
    public void The_shared_memory_of_a_tile_is_what_the_kernel_stages()
    {
        // Queries and keys [tile, dk], values and their running sums [tile, dv], one tile of scores [tile, tile].
        Assert.Equal(4L * 32 * (2 * 64 + 2 * 64 + 32), GraphCompiler.Compiler.Backends.Ilgpu.IlgpuCapabilities.AttentionSharedBytes(32, 64, 64));
    }

    private Result Run(Problem p, float[] q, float[] k, float[] v, float[] paddingBias, float[] band, float scale)
    {
        int rows = p.Items * p.Tq, logits = rows * p.Tk;
        using var bq = fixture.Upload(q);
        using var bk = fixture.Upload(k);
        using var bv = fixture.Upload(v);
        using var bPad = fixture.Upload(paddingBias);
        using var bBand = fixture.Upload(band);
        using var bo = fixture.Upload(new float[rows * p.Dv]);
        using var bLse = fixture.Upload(new float[rows]);
        using var bExps = fixture.Upload(new float[logits]);
        using var bSums = fixture.Upload(new float[rows]);
        using var bProbs = fixture.Upload(new float[logits]);
        using var bMax = fixture.Upload(new float[rows]);
        // The biases in the order the problem has them; the band broadcasts over batch and heads.
        var biases = new List<(ArrayView<float> View, StridedMap Map)>();
        if (p.Padding) biases.Add((IlgpuCpuFixture.View(bPad, paddingBias.Length), StridedMap.Broadcast([p.Batch, 1, 1, p.Tk], p.LogitShape)));
        if (p.Causal) biases.Add((IlgpuCpuFixture.View(bBand, band.Length), StridedMap.Broadcast([p.Tq, p.Tk], p.LogitShape)));
        while (biases.Count < 2) biases.Add((default, default));
        var shape = new AttentionShape(p.Items, p.Tq, p.Tk, p.Dk, p.Dv, scale, Biases: (p.Padding ? 1 : 0) + (p.Causal ? 1 : 0));
        fixture.Device.Library.Attention(shape, IlgpuCpuFixture.View(bq, q.Length), IlgpuCpuFixture.View(bk, k.Length), IlgpuCpuFixture.View(bv, v.Length),
            biases[0].View, biases[0].Map, biases[1].View, biases[1].Map, IlgpuCpuFixture.View(bo, rows * p.Dv),
            IlgpuCpuFixture.View(bLse, rows), IlgpuCpuFixture.View(bExps, logits), IlgpuCpuFixture.View(bSums, rows), IlgpuCpuFixture.View(bProbs, logits), IlgpuCpuFixture.View(bMax, rows));
        return new Result(fixture.Download(bo, rows * p.Dv), fixture.Download(bLse, rows), fixture.Download(bExps, logits), fixture.Download(bSums, rows), fixture.Download(bProbs, logits), fixture.Download(bMax, rows));
    }
}
