using GraphCompiler.EndToEnd.Tests.Models;
using GraphCompiler.Runtime;
using GraphCompiler.Runtime.Reference;
using static GraphCompiler.EndToEnd.Tests.Agreement;

namespace GraphCompiler.EndToEnd.Tests;

/// <summary>
/// Multi-head attention, the masked softmax, the positional encoding and a pre-norm encoder layer in
/// generated code, against references written here and against the reference interpreter.
/// </summary>
public class AttentionAgreementTests
{
    private static float[] Random(int seed, int count, double low = -1, double high = 1)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (float)(low + rng.NextDouble() * (high - low))).ToArray();
    }

    /// <summary>A 0/1 padding mask [batch, length]: the first key of each row is kept, the rest at random.</summary>
    private static float[] PaddingMask(int seed, int batch, int length)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, batch * length).Select(i => i % length == 0 || rng.NextDouble() < 0.6 ? 1f : 0f).ToArray();
    }

    private static double[] Values(IModel model, string name) => model.AllVariables[name].ToDoubleArray();

    /// <summary>x [rows, inDim] · w [inDim, outDim] + b.</summary>
    private static double[] Project(double[] x, int rows, int inDim, double[] w, double[] b, int outDim)
    {
        var y = new double[rows * outDim];
        for (int r = 0; r < rows; r++)
            for (int o = 0; o < outDim; o++)
            {
                double s = b[o];
                for (int i = 0; i < inDim; i++) s += x[r * inDim + i] * w[i * outDim + o];
                y[r * outDim + o] = s;
            }
        return y;
    }

    /// <summary>Multi-head attention written out loop by loop: per batch item and head, softmax over the unmasked keys only.</summary>
    private static double[] ReferenceAttention(IModel model, float[] query, float[] value, float[] mask, int batch, int tq, int tk, int d, int dv, int heads, int keyDim)
    {
        int inner = heads * keyDim;
        double[] P(string n) => Values(model, "attention/" + n);
        var q = Project(query.Select(v => (double)v).ToArray(), batch * tq, d, P("self/query/kernel"), P("self/query/bias"), inner);
        var k = Project(value.Select(v => (double)v).ToArray(), batch * tk, dv, P("self/key/kernel"), P("self/key/bias"), inner);
        var v = Project(value.Select(v => (double)v).ToArray(), batch * tk, dv, P("self/value/kernel"), P("self/value/bias"), inner);
        var context = new double[batch * tq * inner];
        for (int b = 0; b < batch; b++)
            for (int h = 0; h < heads; h++)
                for (int i = 0; i < tq; i++)
                {
                    var scores = new double[tk];
                    for (int j = 0; j < tk; j++)
                    {
                        double s = 0;
                        for (int e = 0; e < keyDim; e++) s += q[(b * tq + i) * inner + h * keyDim + e] * k[(b * tk + j) * inner + h * keyDim + e];
                        scores[j] = s / Math.Sqrt(keyDim);
                    }
                    var kept = Enumerable.Range(0, tk).Where(j => mask[b * tk + j] == 1).ToList();
                    double max = kept.Max(j => scores[j]);
                    double sum = kept.Sum(j => Math.Exp(scores[j] - max));
                    for (int e = 0; e < keyDim; e++)
                        context[(b * tq + i) * inner + h * keyDim + e] = kept.Sum(j => Math.Exp(scores[j] - max) / sum * v[(b * tk + j) * inner + h * keyDim + e]);
                }
        return Project(context, batch * tq, inner, P("output/dense/kernel"), P("output/dense/bias"), d);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void MultiHeadAttentionMatchesADirectReferenceAndTheInterpreter(int batch)
    {
        var model = new AttentionPiecesModel(seed: 7);
        var (query, value, mask) = (Random(batch, batch * 4 * 6), Random(batch + 10, batch * 5 * 3), PaddingMask(batch, batch, 5));
        var generated = model.Attend(query, value, mask);
        Assert.Equal(new[] { batch, 4, 6 }, generated.Shape.ToArray());
        var expected = ReferenceAttention(model, query, value, mask, batch, 4, 5, 6, 3, 2, 3);
        var feeds = new Dictionary<string, (float[], int[])> { ["query"] = (query, new[] { batch, 4, 6 }), ["value"] = (value, new[] { batch, 5, 3 }), ["mask"] = (mask, new[] { batch, 5 }) };
        var interpreted = ReferenceInterpreter.Run(model, AttentionPiecesModel.Ir.Attend, feeds).Outputs["result"];
        var data = generated.Data.ToArray();
        for (int i = 0; i < expected.Length; i++)
        {
            AssertClose(expected[i], data[i], $"attention[{i}] against the direct reference");
            AssertClose(interpreted.Data[i], data[i], $"attention[{i}] against the interpreter");
        }
    }

    [Fact]
    public void MaskedKeysGetExactlyZeroWeight()
    {
        const int batch = 2;
        var model = new AttentionPiecesModel(seed: 1);
        var logits = Random(3, batch * 2 * 4 * 5, -30, 30);
        var mask = PaddingMask(4, batch, 5);
        var weights = model.Weights(logits, mask).Data.ToArray();
        for (int row = 0; row < batch * 2 * 4; row++)
        {
            int b = row / 8;
            var kept = Enumerable.Range(0, 5).Where(j => mask[b * 5 + j] == 1).ToList();
            double max = kept.Max(j => 0.5 * logits[row * 5 + j]);
            double sum = kept.Sum(j => Math.Exp(0.5 * logits[row * 5 + j] - max));
            for (int j = 0; j < 5; j++)
            {
                if (mask[b * 5 + j] == 0) Assert.Equal(0f, weights[row * 5 + j]);
                else AssertClose(Math.Exp(0.5 * logits[row * 5 + j] - max) / sum, weights[row * 5 + j], $"weight[{row}, {j}]");
            }
        }

        var causal = model.Causal(Random(5, 4 * 4, -30, 30)).Data.ToArray();
        for (int i = 0; i < 4; i++)
        {
            for (int j = i + 1; j < 4; j++) Assert.Equal(0f, causal[i * 4 + j]);
            AssertClose(1, causal.Skip(i * 4).Take(4).Sum(), $"causal row {i}");
        }
    }

    [Fact]
    public void PositionalEncodingIsTheTutorialSinusoid()
    {
        var model = new AttentionPiecesModel(seed: 1);
        var encoded = model.Positioned(new float[7 * 6]).Data.ToArray();
        for (int p = 0; p < 7; p++)
            for (int i = 0; i < 6; i++)
            {
                double angle = p / Math.Pow(10000, 2 * (i / 2) / 6.0);
                AssertClose(i % 2 == 0 ? Math.Sin(angle) : Math.Cos(angle), encoded[p * 6 + i], $"PE[{p}, {i}]");
            }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void PreNormEncoderLayerTrainStepsAgreeWithTheInterpreter(int batch)
    {
        var model = new AttentionPiecesModel(seed: 2);
        var (x, y, mask) = (Random(batch + 20, batch * 4 * 6), Random(batch + 30, batch * 4 * 6), PaddingMask(batch + 40, batch, 4));
        Assert.Contains("block/attention/output/LayerNorm/gamma", ((IModel)model).AllVariables.Names);
        for (int step = 0; step < 3; step++)
        {
            var feeds = new Dictionary<string, (float[], int[])>
            {
                ["x"] = (x, new[] { batch, 4, 6 }), ["mask"] = (mask, new[] { batch, 4 }), ["y"] = (y, new[] { batch, 4, 6 }),
                ["learning_rate"] = (new[] { 0.5f }, Array.Empty<int>()),
            };
            var (outputs, updated) = ReferenceInterpreter.Run(model, AttentionPiecesModel.Ir.TrainStep, feeds, training: true);
            AssertClose(outputs["loss"].Data[0], model.TrainStep(x, mask, y, 0.5f), $"loss at step {step}");
            AssertVariablesAgree(model, updated, $" after step {step}");
        }
    }
}
