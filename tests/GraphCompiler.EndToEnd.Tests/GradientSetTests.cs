using GraphCompiler.EndToEnd.Tests.Models;
using GraphCompiler.Runtime;
using GraphCompiler.Runtime.Reference;
using static GraphCompiler.EndToEnd.Tests.Agreement;

namespace GraphCompiler.EndToEnd.Tests;

/// <summary>
/// The train step split at the gradient (<c>[Model(GradientSet = true)]</c>): ComputeGradients against the
/// reference interpreter, ComputeGradients + ApplyGradients against TrainStep, and gradient accumulation
/// over micro-batches against one large batch.
/// </summary>
public class GradientSetTests
{
    private static float[] RandomData(Random rng, int n) => Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();

    private static int[] RandomLabels(Random rng, int n, int classes) => Enumerable.Range(0, n).Select(_ => rng.Next(classes)).ToArray();

    private static Dictionary<string, (float[], int[])> MlpFeeds(float[] x, int[] labels) => new()
    {
        ["x"] = (x, new[] { labels.Length, 6 }),
        ["labels"] = (labels.Select(l => (float)l).ToArray(), new[] { labels.Length }),
    };

    /// <summary>Every variable of <paramref name="b"/> (optimizer slots included) is within float tolerance of <paramref name="a"/>'s.</summary>
    private static void AssertSameVariables(IModel a, IModel b, string when)
    {
        Assert.Equal(a.GlobalStep, b.GlobalStep);
        foreach (var v in a.AllVariables)
        {
            var expected = v.ToDoubleArray();
            var actual = b.AllVariables[v.Name].ToDoubleArray();
            for (int i = 0; i < expected.Length; i++)
                Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5 + 1e-5 * Math.Abs(expected[i]), $"{v.Name}[{i}] {when}: {expected[i]} against {actual[i]}");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(16)]
    public void ComputeGradientsAgreesWithTheInterpreter(int batch)
    {
        var rng = new Random(batch);
        var model = new GradientSetMlp(seed: 3);
        var x = RandomData(rng, batch * 6);
        var labels = RandomLabels(rng, batch, 4);
        var before = model.AllVariablesSnapshot();
        var gradients = model.ComputeGradients(x, labels);
        var (outputs, _) = ReferenceInterpreter.Run(model, GradientSetMlp.Ir.ComputeGradients, MlpFeeds(x, labels), training: true);
        AssertClose(outputs["loss"].Data[0], gradients.Loss, "loss");
        Assert.Equal(4, gradients.Count);
        foreach (var g in gradients)
        {
            var expected = outputs["gradients/" + g.Name];
            var actual = g.ToDoubleArray();
            Assert.Equal(expected.Data.Length, actual.Length);
            for (int i = 0; i < actual.Length; i++) AssertClose(expected.Data[i], actual[i], $"{g.Name}[{i}]");
        }
        Assert.Equal(before, model.AllVariablesSnapshot());
        Assert.Equal(0, model.GlobalStep);
    }

    [Fact]
    public void TheGradientSetMirrorsTheVariablesInOneBuffer()
    {
        var model = new GradientSetMlp(seed: 1);
        var gradients = model.ComputeGradients(RandomData(new Random(1), 3 * 6), new[] { 0, 1, 3 });
        Assert.Equal("two_layers/h1/weights", gradients.TwoLayers.H1.Weights.Name);
        Assert.Equal(new[] { 6, 8 }, gradients.TwoLayers.H1.Weights.Shape);
        Assert.Equal(new[] { 4 }, gradients.TwoLayers.H2.Biases.Shape);
        Assert.Equal(6 * 8 + 8 + 8 * 4 + 4, gradients.Float32.Length);
        // The typed view is the buffer: editing it changes what ApplyGradients sees.
        gradients.TwoLayers.H2.Biases.Values[2] = 42f;
        Assert.Equal(42f, gradients.Float32[gradients.TwoLayers.H2.Biases.Offset + 2]);
        // The buckets cover the buffer exactly once, the last variable's gradient first.
        var covered = new int[gradients.Float32.Length];
        foreach (var b in gradients.Buckets)
            for (int i = b.Offset; i < b.Offset + b.Count; i++) covered[i]++;
        Assert.All(covered, c => Assert.Equal(1, c));
        Assert.Equal("two_layers/h2/biases", gradients.Buckets[0].Variables[0]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    public void ComputeThenApplyEqualsTrainStepWithAdam(int batch)
    {
        var rng = new Random(10 + batch);
        var trained = new GradientSetMlp(seed: 5);
        var split = new GradientSetMlp(seed: 5);
        var gradients = new GradientSetMlp.GradientSetMlpGradients();
        for (int step = 0; step < 4; step++)
        {
            var x = RandomData(rng, batch * 6);
            var labels = RandomLabels(rng, batch, 4);
            float loss = trained.TrainStep(x, labels, 0.01f);
            float splitLoss = split.ComputeGradients(x, labels, gradients);
            split.ApplyGradients(gradients, 0.01f);
            Assert.Equal(loss, splitLoss, 5);
            AssertSameVariables(trained, split, $"after step {step + 1}");
        }
    }

    /// <summary>Gradient accumulation: the mean of k micro-batch gradients, applied once, is the train step on their union.</summary>
    [Theory]
    [InlineData(2, 6)]
    [InlineData(3, 4)]
    [InlineData(4, 1)]
    public void AccumulatedMicroBatchesEqualOneLargeBatch(int microBatches, int microBatch)
    {
        var rng = new Random(microBatches * 100 + microBatch);
        var large = new GradientSetMlp(seed: 9);
        var accumulated = new GradientSetMlp(seed: 9);
        var total = new GradientSetMlp.GradientSetMlpGradients();
        int batch = microBatches * microBatch;
        for (int step = 0; step < 3; step++)
        {
            var x = RandomData(rng, batch * 6);
            var labels = RandomLabels(rng, batch, 4);
            float loss = large.TrainStep(x, labels, 0.02f);
            total.Clear();
            for (int k = 0; k < microBatches; k++)
                accumulated.ComputeGradients(x.AsSpan(k * microBatch * 6, microBatch * 6), labels.AsSpan(k * microBatch, microBatch), total, accumulate: true);
            total.Scale(1f / microBatches);
            accumulated.ApplyGradients(total, 0.02f);
            AssertClose(loss, total.Loss, $"mean loss at step {step + 1}");
            AssertSameVariables(large, accumulated, $"after step {step + 1}");
        }
    }

    /// <summary>An embedding's sparse gradient is dense in the set; SGD on it matches the train step's sparse row update.</summary>
    [Fact]
    public void SparseGradientsAreDensifiedAndApplyAsTheSparseUpdate()
    {
        var model = new GradientSetEmbedding(seed: 2);
        var reference = new GradientSetEmbedding(seed: 2);
        var ids = new[] { 3, 0, 3, 6 };
        var targets = RandomData(new Random(4), ids.Length * 3);
        var gradients = model.ComputeGradients(ids, targets);
        var feeds = new Dictionary<string, (float[], int[])> { ["ids"] = (ids.Select(i => (float)i).ToArray(), new[] { 4 }), ["targets"] = (targets, new[] { 4, 3 }) };
        var (outputs, _) = ReferenceInterpreter.Run(model, GradientSetEmbedding.Ir.ComputeGradients, feeds, training: true);
        var table = gradients.Table;
        Assert.Equal(new[] { 7, 3 }, table.Shape);
        var dense = table.ToDoubleArray();
        for (int i = 0; i < dense.Length; i++) AssertClose(outputs["gradients/table"].Data[i], dense[i], $"table[{i}]");
        for (int c = 0; c < 3; c++) Assert.Equal(0.0, dense[1 * 3 + c]);   // row 1 was not looked up
        model.ApplyGradients(gradients, 0.5f);
        reference.TrainStep(ids, targets, 0.5f);
        AssertSameVariables(reference, model, "after one step");
    }

    /// <summary>Dropout in ComputeGradients is keyed by the step as in TrainStep; the global-norm clip runs in ApplyGradients.</summary>
    [Fact]
    public void DropoutAndClippingMatchTheTrainStep()
    {
        var rng = new Random(8);
        var trained = new GradientSetDropout(seed: 4);
        var split = new GradientSetDropout(seed: 4);
        var gradients = new GradientSetDropout.GradientSetDropoutGradients();
        for (int step = 0; step < 3; step++)
        {
            var x = RandomData(rng, 6 * 5);
            var y = RandomData(rng, 6 * 2);
            trained.TrainStep(x, y, 0.3f);
            split.ComputeGradients(x, y, gradients);
            split.ApplyGradients(gradients, 0.3f);
            AssertSameVariables(trained, split, $"after step {step + 1}");
        }
    }
}

internal static class ModelSnapshots
{
    /// <summary>Every variable's values, to check that a call changed none.</summary>
    public static double[][] AllVariablesSnapshot(this IModel model) => model.AllVariables.Select(v => v.ToDoubleArray()).ToArray();
}
