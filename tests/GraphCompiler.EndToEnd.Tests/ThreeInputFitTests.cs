using GraphCompiler.EndToEnd.Tests.Models;
using GraphCompiler.Runtime;
using GraphCompiler.Runtime.Data;
using GraphCompiler.Runtime.Training;
using static GraphCompiler.EndToEnd.Tests.LayerTests;

namespace GraphCompiler.EndToEnd.Tests;

/// <summary>Fit, Evaluate, Predict and the smoke test on models whose loss takes three and four inputs.</summary>
public class ThreeInputFitTests
{
    private static float[] Gate(int n, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, n * 6).Select(_ => rng.NextDouble() < 0.2 ? 0f : 1f).ToArray();
    }

    private static Dataset<(Batch<float> First, Batch<float> Second, Batch<int> Third)> Batches(float[] x, float[] gate, int[] labels, int batch) =>
        Dataset.Zip(Dataset.FromTensorSlices(x, [labels.Length, 2, 3]), Dataset.FromTensorSlices(gate, [labels.Length, 2, 3]), Dataset.FromTensorSlices(labels, [labels.Length])).Batch(batch);

    [Fact]
    public void FitOverTriplesEqualsTrainStepsOnTheSameBatches()
    {
        var (x, labels) = Classes(50, seed: 3);
        var gate = Gate(50, seed: 3);
        var fitted = new GatedClassifier(seed: 2);
        var stepped = new GatedClassifier(seed: 2);
        var history = fitted.Fit(Batches(x, gate, labels, 16), epochs: 3, learningRate: 0.5f, metrics: [Metrics.Accuracy()], verbose: false);
        var losses = new List<float>();
        for (int epoch = 0; epoch < 3; epoch++)
            for (int start = 0; start < 50; start += 16)
            {
                int n = Math.Min(16, 50 - start);
                losses.Add(stepped.TrainStep(x.AsSpan(start * 6, n * 6), gate.AsSpan(start * 6, n * 6), labels.AsSpan(start, n), 0.5f));
            }
        Assert.Equal(12, fitted.GlobalStep);
        Assert.Equal(stepped.AllVariablesSnapshot(), fitted.AllVariablesSnapshot());
        // The epoch's loss is the batch-size-weighted mean of its steps' losses.
        double first = (losses[0] * 16.0 + losses[1] * 16 + losses[2] * 16 + losses[3] * 2) / 50;
        Assert.Equal(first, history["loss"][0], 1e-5);
        Assert.True(history["loss"][^1] < history["loss"][0], string.Join(", ", history["loss"]));
    }

    [Fact]
    public void EvaluateClassifiesWithPredictOverTheFirstTwoInputs()
    {
        var (x, labels) = Classes(23, seed: 5);
        var gate = Gate(23, seed: 5);
        var model = new GatedClassifier(seed: 4);
        var result = model.Evaluate(Batches(x, gate, labels, 10), [Metrics.Accuracy()]);
        var logits = model.Predict(x, gate);
        int correct = Enumerable.Range(0, 23).Count(i =>
        {
            var row = logits.Data.AsSpan(i * 3, 3).ToArray();
            return Array.IndexOf(row, row.Max()) == labels[i];
        });
        Assert.Equal(correct / 23.0, result["accuracy"], 1e-12);
        Assert.Equal(model.Loss(x, gate, labels), result["loss"], 1e-5);
        var features = Dataset.Zip(Dataset.FromTensorSlices(x, [23, 2, 3]), Dataset.FromTensorSlices(gate, [23, 2, 3])).Batch(6);
        Assert.Equal(logits.Data, model.Predict(features).Data);
    }

    [Fact]
    public void FourInputsFitAndPassTheSmokeTest()
    {
        var rng = new Random(9);
        int n = 40;
        var x = Enumerable.Range(0, n * 3).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        var y = Enumerable.Range(0, n).Select(i => 0.5f * x[i * 3] - x[i * 3 + 2] + 0.25f).ToArray();
        var weight = Enumerable.Range(0, n).Select(i => i % 4 == 0 ? 0f : 1f).ToArray();
        var offset = Enumerable.Range(0, n).Select(i => 0.1f * (i % 3)).ToArray();
        Dataset<float[]> Slices(float[] data, int width) => Dataset.FromTensorSlices(data, [n, width]);
        var data = Dataset.Zip(Slices(x, 3), Slices(y, 1), Slices(weight, 1), Slices(offset, 1)).Batch(8);

        var smoke = new WeightedRegressor(seed: 1).SmokeTest(data, learningRate: 0.05f, steps: 30);
        Assert.True(smoke.Passed, smoke.Failure);
        var model = new WeightedRegressor(seed: 1);
        var history = model.Fit(data, epochs: 20, learningRate: 0.05f, verbose: false);
        Assert.Equal(100, model.GlobalStep);
        Assert.True(history["loss"][^1] < 0.2 * history["loss"][0], string.Join(", ", history["loss"]));
        Assert.Equal(model.Loss(x, y, weight, offset), model.Evaluate(data)["loss"], 1e-5);
    }
}
