using GraphCompiler.EndToEnd.Tests.Models;
using GraphCompiler.Runtime;
using GraphCompiler.Runtime.Reference;
using static GraphCompiler.EndToEnd.Tests.Agreement;

namespace GraphCompiler.EndToEnd.Tests;

/// <summary>The gradient set of a model whose sizes are hyperparameters: laid out at construction, accumulated, applied.</summary>
public class HyperGradientSetTests
{
    private static (int[] Ids, float[] Targets) Batch(Random rng, int n, int vocab) =>
        (Enumerable.Range(0, n).Select(_ => rng.Next(vocab)).ToArray(), Enumerable.Range(0, n * 2).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray());

    [Theory]
    [InlineData(5, 3)]
    [InlineData(11, 8)]
    public void TheSetIsSizedByTheModelsHyperparameters(int vocab, int dim)
    {
        var model = new HyperGradientSetModel(vocab: vocab, dim: dim, seed: 1);
        var (ids, targets) = Batch(new Random(vocab), 6, vocab);
        var gradients = model.ComputeGradients(ids, targets);
        Assert.Equal(new[] { vocab, dim }, gradients.Embed.Shape);
        Assert.Equal(new[] { dim, dim + 1 }, gradients.Hidden.Shape);
        Assert.Equal(new[] { dim + 1, 2 }, gradients.Out.Shape);
        Assert.Equal(vocab * dim + dim * (dim + 1) + (dim + 1) * 2, gradients.Float32.Length);
        Assert.Equal(vocab * dim + dim * (dim + 1), gradients.Out.Offset);
        // One small bucket holds everything, last variable first.
        var bucket = Assert.Single(gradients.Buckets);
        Assert.Equal(new[] { "out", "hidden", "embed" }, bucket.Variables);
        Assert.Equal(gradients.Float32.Length, bucket.Count);
        var feeds = new Dictionary<string, (float[], int[])> { ["ids"] = (ids.Select(i => (float)i).ToArray(), [6]), ["targets"] = (targets, [6, 2]) };
        var (outputs, _) = ReferenceInterpreter.Run(model, HyperGradientSetModel.Ir.ComputeGradients, feeds, training: true);
        foreach (var g in gradients)
        {
            var actual = g.ToDoubleArray();
            for (int i = 0; i < actual.Length; i++) AssertClose(outputs["gradients/" + g.Name].Data[i], actual[i], $"{g.Name}[{i}]");
        }
    }

    [Theory]
    [InlineData(2, 5)]
    [InlineData(3, 2)]
    public void AccumulatedMicroBatchesEqualOneLargeBatch(int microBatches, int microBatch)
    {
        var rng = new Random(microBatches * 10 + microBatch);
        var large = new HyperGradientSetModel(vocab: 9, dim: 4, seed: 3);
        var accumulated = new HyperGradientSetModel(vocab: 9, dim: 4, seed: 3);
        var total = new HyperGradientSetModel.HyperGradientSetModelGradients(accumulated);
        int batch = microBatches * microBatch;
        for (int step = 0; step < 3; step++)
        {
            var (ids, targets) = Batch(rng, batch, 9);
            float loss = large.TrainStep(ids, targets, 0.05f);
            total.Clear();
            for (int k = 0; k < microBatches; k++)
                accumulated.ComputeGradients(ids.AsSpan(k * microBatch, microBatch), targets.AsSpan(k * microBatch * 2, microBatch * 2), total, accumulate: true);
            total.Scale(1f / microBatches);
            accumulated.ApplyGradients(total, 0.05f);
            AssertClose(loss, total.Loss, $"mean loss at step {step + 1}");
            foreach (var v in ((IModel)large).AllVariables)
            {
                var expected = v.ToDoubleArray();
                var actual = ((IModel)accumulated).AllVariables[v.Name].ToDoubleArray();
                for (int i = 0; i < expected.Length; i++)
                    Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5 + 1e-5 * Math.Abs(expected[i]), $"{v.Name}[{i}] after step {step + 1}: {expected[i]} against {actual[i]}");
            }
        }
    }

    [Fact]
    public void ASetMadeForOtherHyperparametersIsRefused()
    {
        var small = new HyperGradientSetModel(vocab: 5, dim: 3, seed: 1);
        var wide = new HyperGradientSetModel(vocab: 5, dim: 4, seed: 1);
        var (ids, targets) = Batch(new Random(2), 3, 5);
        var e = Assert.Throws<ArgumentException>(() => wide.ComputeGradients(ids, targets, new HyperGradientSetModel.HyperGradientSetModelGradients(small)));
        Assert.Contains("the gradient set was made for a model with other hyperparameters", e.Message);
    }
}
