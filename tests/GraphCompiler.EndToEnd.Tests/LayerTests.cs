using GraphCompiler.EndToEnd.Tests.Models;
using GraphCompiler.Runtime;
using GraphCompiler.Runtime.Reference;
using static GraphCompiler.EndToEnd.Tests.Agreement;

namespace GraphCompiler.EndToEnd.Tests;

/// <summary>Keras-style layers compiled by the generator: against the reference interpreter and against a hand computation.</summary>
public class LayerTests
{
    /// <summary>n examples of [2, 3] features in [-1, 1) whose label is the argmax of three fixed sums, so a classifier can learn them.</summary>
    internal static (float[] X, int[] Labels) Classes(int n, int seed)
    {
        var rng = new Random(seed);
        var x = Enumerable.Range(0, n * 6).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        var labels = new int[n];
        for (int i = 0; i < n; i++)
        {
            var f = x.AsSpan(i * 6, 6);
            float[] score = [f[0] + f[1], f[2] - f[3], f[4] + f[5] - 0.5f];
            labels[i] = Array.IndexOf(score, score.Max());
        }
        return (x, labels);
    }

    [Fact]
    public void DenseAndFlattenComputeWhatTheyDescribe()
    {
        var model = new LayerClassifier(seed: 3);
        Assert.Equal(new[] { "dense/kernel [6, 5]", "dense/bias [5]", "dense_1/kernel [5, 3]", "dense_1/bias [3]" },
            ((IModel)model).AllVariables.Select(v => $"{v.Name} {v.ShapeText}"));
        model.Variables.Dense.Bias.Assign([0.1f, -0.2f, 0.3f, 0f, 0.05f]);
        model.Variables.Dense1.Bias.Assign([0.5f, 0f, -0.5f]);
        var (x, _) = Classes(4, seed: 1);
        var logits = model.Predict(x);
        Assert.Equal(new[] { 4, 3 }, logits.Shape);
        // By hand: flatten [2, 3] → 6, tanh(x·K + b), dropout is the identity outside TrainStep, then ·K₁ + b₁.
        var (k, b, k1, b1) = (model.Variables.Dense.Kernel.Data, model.Variables.Dense.Bias.Data, model.Variables.Dense1.Kernel.Data, model.Variables.Dense1.Bias.Data);
        for (int i = 0; i < 4; i++)
        {
            var h = new double[5];
            for (int u = 0; u < 5; u++)
            {
                double s = b[u];
                for (int j = 0; j < 6; j++) s += x[i * 6 + j] * k[j * 5 + u];
                h[u] = Math.Tanh(s);
            }
            for (int c = 0; c < 3; c++)
            {
                double s = b1[c];
                for (int u = 0; u < 5; u++) s += h[u] * k1[u * 3 + c];
                AssertClose(s, logits.Data[i * 3 + c], $"logits[{i}, {c}]");
            }
        }
    }

    [Fact]
    public void GlorotKernelsAreBoundedAndBiasesStartAtZero()
    {
        var model = new LayerClassifier(seed: 5);
        double limit = Math.Sqrt(6.0 / (6 + 5));
        Assert.All(model.Variables.Dense.Kernel.Data, w => Assert.InRange(w, -limit, limit));
        Assert.Contains(model.Variables.Dense.Kernel.Data, w => Math.Abs(w) > limit / 2);
        Assert.All(model.Variables.Dense.Bias.Data, w => Assert.Equal(0f, w));
        var embedding = new EmbeddingRegressor(seed: 5).Variables.Embedding.Embeddings;
        Assert.Equal("[20, 4]", embedding.ShapeText);
        Assert.All(embedding.Data, w => Assert.InRange(w, -0.05f, 0.05f));
        Assert.Contains(embedding.Data, w => Math.Abs(w) > 0.025f);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    public void TheClassifierAgreesWithTheInterpreterWithDropoutInTraining(int n)
    {
        var model = new LayerClassifier(seed: 8);
        var (x, labels) = Classes(n, seed: n);
        var feeds = new Dictionary<string, (float[], int[])> { ["x"] = (x, [n, 2, 3]), ["labels"] = (labels.Select(l => (float)l).ToArray(), [n]) };
        var predicted = ReferenceInterpreter.Run(model, LayerClassifier.Ir.Predict, new Dictionary<string, (float[], int[])> { ["x"] = feeds["x"] }).Outputs["result"];
        var logits = model.Predict(x);
        for (int i = 0; i < logits.Data.Length; i++) AssertClose(predicted.Data[i], logits.Data[i], $"predict[{i}]");
        for (int step = 0; step < 3; step++)
        {
            var trainFeeds = new Dictionary<string, (float[], int[])>(feeds) { ["learning_rate"] = ([0.5f], []) };
            var (outputs, updated) = ReferenceInterpreter.Run(model, LayerClassifier.Ir.TrainStep, trainFeeds, training: true);
            AssertClose(outputs["loss"].Data[0], model.TrainStep(x, labels, 0.5f), $"loss at step {step}");
            AssertVariablesAgree(model, updated, $" after step {step}");
        }
    }

    [Fact]
    public void EmbeddingLooksUpRowsAndAgreesWithTheInterpreter()
    {
        var model = new EmbeddingRegressor(seed: 2);
        int[] ids = [0, 19, 7, 7, 7, 3];
        var y = new float[] { 0.2f, 0.9f, 0.6f, 0.1f };
        var table = model.Variables.Embedding.Embeddings.Data;
        var (k, b) = (model.Variables.Dense.Kernel.Data, model.Variables.Dense.Bias.Data);
        var predicted = model.Predict(ids);
        for (int i = 0; i < 2; i++)
            for (int c = 0; c < 2; c++)
            {
                // By hand: the three rows of the example side by side (flatten), through the dense layer and a sigmoid.
                double s = b[c];
                for (int t = 0; t < 3; t++)
                    for (int d = 0; d < 4; d++) s += table[ids[i * 3 + t] * 4 + d] * k[(t * 4 + d) * 2 + c];
                AssertClose(1 / (1 + Math.Exp(-s)), predicted.Data[i * 2 + c], $"predict[{i}, {c}]");
            }
        var feeds = new Dictionary<string, (float[], int[])> { ["ids"] = (ids.Select(i => (float)i).ToArray(), [2, 3]), ["y"] = (y, [2, 2]), ["learning_rate"] = ([0.1f], []) };
        for (int step = 0; step < 2; step++)
        {
            var (outputs, updated) = ReferenceInterpreter.Run(model, EmbeddingRegressor.Ir.TrainStep, feeds, training: true);
            AssertClose(outputs["loss"].Data[0], model.TrainStep(ids, y, 0.1f), $"loss at step {step}");
            AssertVariablesAgree(model, updated, $" after step {step}");
        }
        // Rows no id used are untouched by the sparse update.
        var fresh = new EmbeddingRegressor(seed: 2).Variables.Embedding.Embeddings.Data;
        Assert.Equal(fresh.AsSpan(4, 8).ToArray(), model.Variables.Embedding.Embeddings.Data.AsSpan(4, 8).ToArray());
        Assert.NotEqual(fresh.AsSpan(28, 4).ToArray(), model.Variables.Embedding.Embeddings.Data.AsSpan(28, 4).ToArray());
    }
}
