using GraphCompiler.EndToEnd.Tests.Models;
using GraphCompiler.Runtime;
using GraphCompiler.Runtime.Reference;
using GraphCompiler.Runtime.Training;
using static GraphCompiler.EndToEnd.Tests.Agreement;

namespace GraphCompiler.EndToEnd.Tests;

/// <summary>
/// A miniature BERT: BERT's variable names, its forward pass and AdamW train steps (linear warm-up and
/// decay, decay exclusions) against the reference interpreter, and the masked LM loss ignoring unmasked positions.
/// </summary>
public class MiniBertTests
{
    private const int Seq = MiniBertModel.Seq;

    private static (int[] Ids, float[] Mask, int[] Labels, int[] IsNext) Batch(int batch, int seed)
    {
        var rng = new Random(seed);
        var ids = new int[batch * Seq];
        var mask = new float[batch * Seq];
        var labels = new int[batch * Seq];
        for (int b = 0; b < batch; b++)
        {
            int length = 2 + rng.Next(Seq - 1); // 2..Seq real tokens, then padding (id 0, mask 0)
            for (int t = 0; t < Seq; t++)
            {
                int i = b * Seq + t;
                ids[i] = t < length ? 1 + rng.Next(MiniBertModel.Vocab - 1) : 0;
                mask[i] = t < length ? 1 : 0;
                labels[i] = t < length && rng.NextDouble() < 0.4 ? rng.Next(MiniBertModel.Vocab) : -100;
            }
        }
        return (ids, mask, labels, Enumerable.Range(0, batch).Select(_ => rng.Next(2)).ToArray());
    }

    [Fact]
    public void VariablesCarryBertsNames()
    {
        var names = ((IModel)new MiniBertModel(seed: 1)).AllVariables.Names.ToHashSet();
        foreach (var name in new[]
        {
            "bert/embeddings/word_embeddings", "bert/embeddings/position_embeddings", "bert/embeddings/LayerNorm/gamma", "bert/embeddings/LayerNorm/beta",
            "bert/encoder/layer_0/attention/self/query/kernel", "bert/encoder/layer_0/attention/self/key/bias", "bert/encoder/layer_0/attention/self/value/kernel",
            "bert/encoder/layer_0/attention/output/dense/kernel", "bert/encoder/layer_0/attention/output/LayerNorm/gamma",
            "bert/encoder/layer_0/intermediate/dense/kernel", "bert/encoder/layer_0/output/dense/bias", "bert/encoder/layer_1/output/LayerNorm/beta",
            "predictions/kernel", "seq_relationship/bias",
        })
            Assert.Contains(name, names);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void ForwardAndAdamWTrainStepsAgreeWithTheInterpreter(int batch)
    {
        var model = new MiniBertModel(seed: 3);
        var (ids, mask, labels, isNext) = Batch(batch, batch);
        var feeds = new Dictionary<string, (float[], int[])>
        {
            ["ids"] = (ids.Select(i => (float)i).ToArray(), new[] { batch, Seq }), ["mask"] = (mask, new[] { batch, Seq }),
        };
        var hidden = model.Hidden(ids, mask).Data.ToArray();
        var expected = ReferenceInterpreter.Run(model, MiniBertModel.Ir.Hidden, feeds).Outputs["result"];
        for (int i = 0; i < hidden.Length; i++) AssertClose(expected.Data[i], hidden[i], $"hidden[{i}]");

        const float lr = 0.01f;
        for (int step = 0; step < 4; step++)
        {
            // The host-side scalars the generated step computes from the global step, fed to the interpreter.
            float scheduled = StepScalars.Schedule(lr, step, StepScalars.LinearDecay, 6, 0, false, [], [], 0, 2);
            var trainFeeds = new Dictionary<string, (float[], int[])>(feeds)
            {
                ["labels"] = (labels.Select(l => (float)l).ToArray(), new[] { batch, Seq }), ["isNext"] = (isNext.Select(l => (float)l).ToArray(), new[] { batch }),
                ["learning_rate"] = (new[] { StepScalars.AdamStepSize(scheduled, step, 0.9, 0.999) }, Array.Empty<int>()),
                ["weight_decay_rate"] = (new[] { scheduled * 0.1f }, Array.Empty<int>()),
            };
            var (outputs, updated) = ReferenceInterpreter.Run(model, MiniBertModel.Ir.TrainStep, trainFeeds, training: true);
            AssertClose(outputs["loss"].Data[0], model.TrainStep(ids, mask, labels, isNext, lr), $"loss at step {step}");
            AssertVariablesAgree(model, updated, $" after step {step}");
        }
    }

    [Fact]
    public void TheMaskedLmLossIgnoresUnmaskedPositions()
    {
        const int n = 6;
        int[] labels = [3, -100, 0, 7, -100, 6]; // 7 is past the 7 classes' last index 6: ignored like −100
        var x = new float[n * 4];
        var rng = new Random(9);
        for (int i = 0; i < x.Length; i++) x[i] = (float)(rng.NextDouble() * 2 - 1);
        var changed = (float[])x.Clone();
        foreach (int row in new[] { 1, 3, 4 })
            for (int j = 0; j < 4; j++) changed[row * 4 + j] = 50f * (j - 1.5f); // very different logits at the ignored positions

        var (a, b) = (new MaskedLmHeadModel(seed: 4), new MaskedLmHeadModel(seed: 4));
        var w = ((IModel)a).AllVariables["w"].ToDoubleArray();
        // The loss is the mean over the three counted positions of −log softmax(x·w)[label].
        double expected = new[] { 0, 2, 5 }.Average(r =>
        {
            var logits = Enumerable.Range(0, 7).Select(c => Enumerable.Range(0, 4).Sum(i => (double)x[r * 4 + i] * w[i * 7 + c])).ToArray();
            double max = logits.Max();
            return -(logits[labels[r]] - max - Math.Log(logits.Sum(l => Math.Exp(l - max))));
        });
        for (int step = 0; step < 3; step++)
        {
            float la = a.TrainStep(x, labels, 0.3f), lb = b.TrainStep(changed, labels, 0.3f);
            if (step == 0) AssertClose(expected, la, "masked LM loss");
            Assert.Equal(la, lb);
            Assert.Equal(((IModel)a).AllVariables["w"].ToDoubleArray(), ((IModel)b).AllVariables["w"].ToDoubleArray());
        }
    }
}
