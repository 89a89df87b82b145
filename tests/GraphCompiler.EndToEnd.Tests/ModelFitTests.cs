using GraphCompiler.EndToEnd.Tests.Models;
using GraphCompiler.Runtime;
using GraphCompiler.Runtime.Data;
using GraphCompiler.Runtime.Training;
using static GraphCompiler.EndToEnd.Tests.LayerTests;

namespace GraphCompiler.EndToEnd.Tests;

/// <summary>Keras-style Fit, Evaluate, Predict and the smoke test on generated models.</summary>
public class ModelFitTests
{
    private static Dataset<(Batch<float> First, Batch<int> Second)> Batches(float[] x, int[] labels, int batch) =>
        Dataset.Zip(Dataset.FromTensorSlices(x, [labels.Length, 2, 3]), Dataset.FromTensorSlices(labels, [labels.Length])).Batch(batch);

    [Fact]
    public void FitRecordsTrainingAndValidationMetricsPerEpoch()
    {
        var model = new LayerClassifier(seed: 1);
        var (x, labels) = Classes(200, seed: 1);
        var (vx, vlabels) = Classes(60, seed: 2);
        var history = model.Fit(Batches(x, labels, 20), epochs: 12, validationData: Batches(vx, vlabels, 32), learningRate: 0.5f,
            metrics: [Metrics.Accuracy(), Metrics.TopKAccuracy(2), Metrics.Perplexity()], verbose: false);

        Assert.Equal(new[] { "loss", "accuracy", "top_2_accuracy", "perplexity", "val_loss", "val_accuracy", "val_top_2_accuracy", "val_perplexity" }, history.Keys);
        Assert.Equal(12, history.Epochs.Count);
        Assert.Equal(120, model.GlobalStep);
        Assert.True(history["loss"][^1] < 0.7 * history["loss"][0], string.Join(", ", history["loss"]));
        Assert.True(history["val_accuracy"][^1] > 0.8, string.Join(", ", history["val_accuracy"]));
        for (int e = 0; e < 12; e++)
        {
            Assert.Equal(Math.Exp(history["loss"][e]), history["perplexity"][e], 1e-9);
            Assert.True(history["top_2_accuracy"][e] >= history["accuracy"][e]);
        }
        // The last epoch's validation numbers are what Evaluate says about the trained model.
        var evaluated = model.Evaluate(Batches(vx, vlabels, 7), [Metrics.Accuracy()]);
        Assert.Equal(history["val_loss"][^1], evaluated["loss"], 1e-5);
        Assert.Equal(history["val_accuracy"][^1], evaluated["accuracy"], 1e-9);
        Assert.Throws<KeyNotFoundException>(() => history["val_f1"]);
    }

    [Fact]
    public void EvaluateWeighsBatchesByTheirSizeAndMatchesAHandComputation()
    {
        var model = new LayerClassifier(seed: 4);
        var (x, labels) = Classes(23, seed: 4);
        var result = model.Evaluate(Batches(x, labels, 10), [Metrics.Accuracy(), Metrics.TopKAccuracy(2)]);
        var logits = model.Predict(x);
        double loss = 0;
        int correct = 0, top2 = 0;
        for (int i = 0; i < 23; i++)
        {
            var row = logits.Data.AsSpan(i * 3, 3).ToArray();
            double max = row.Max(), sum = row.Sum(v => Math.Exp(v - max));
            loss += -(row[labels[i]] - max - Math.Log(sum));
            if (Array.IndexOf(row, row.Max()) == labels[i]) correct++;
            if (row.Count(v => v > row[labels[i]]) < 2) top2++;
        }
        Assert.Equal(loss / 23, result["loss"], 1e-5);
        Assert.Equal(correct / 23.0, result["accuracy"], 1e-12);
        Assert.Equal(top2 / 23.0, result["top_2_accuracy"], 1e-12);
    }

    [Fact]
    public void PredictStacksTheBatches()
    {
        var model = new LayerClassifier(seed: 6);
        var (x, _) = Classes(11, seed: 6);
        var stacked = model.Predict(Dataset.FromTensorSlices(x, [11, 2, 3]).Batch(4));
        Assert.Equal(new[] { 11, 3 }, stacked.Shape);
        Assert.Equal(model.Predict(x).Data, stacked.Data);
    }

    [Fact]
    public void EarlyStoppingWatchesAValidationMetricByName()
    {
        var model = new LayerClassifier(seed: 2);
        var (x, labels) = Classes(40, seed: 7);
        // The validation labels are noise: its loss soon stops improving while the training loss falls.
        var (vx, _) = Classes(40, seed: 8);
        var noise = Enumerable.Range(0, 40).Select(i => (i * 7) % 3).ToArray();
        var stop = new EarlyStopping("val_loss", patience: 2);
        var history = model.Fit(Batches(x, labels, 8), epochs: 200, validationData: Batches(vx, noise, 40), callbacks: [stop], learningRate: 1f, verbose: false);
        Assert.True(history.Result!.StoppedEarly);
        Assert.True(history.Epochs.Count < 200);
        Assert.Equal(MetricMode.Min, stop.Mode);
        Assert.Equal(MetricMode.Max, new EarlyStopping("val_accuracy", patience: 1).Mode);
    }

    [Fact]
    public void ALearningRateScheduleAmongTheCallbacksSetsEachStepsRate()
    {
        var (x, labels) = Classes(16, seed: 9);
        var scheduled = new LayerClassifier(seed: 3);
        scheduled.Fit(Batches(x, labels, 8), epochs: 2, callbacks: [LearningRateSchedule.Constant(0f)], learningRate: 1f, verbose: false);
        Assert.Equal(new LayerClassifier(seed: 3).Variables.Dense.Kernel.Data, scheduled.Variables.Dense.Kernel.Data);
    }

    [Fact]
    public void TheSmokeTestPassesOnAHealthyModelAndMeasuresExactGradients()
    {
        var model = new LayerClassifier(seed: 1);
        var (x, labels) = Classes(16, seed: 3);
        var before = ((IModel)model).AllVariables.Select(v => v.ToDoubleArray()).ToList();
        var output = new StringWriter();
        var history = model.Fit(Batches(x, labels, 16), learningRate: 0.5f, smokeTest: true, output: output);
        var report = history.SmokeTest!;
        Assert.True(report.Passed, output.ToString());
        Assert.True(report.GradientsAreExact);
        Assert.Equal(new[] { "dense/kernel", "dense/bias", "dense_1/kernel", "dense_1/bias" }, report.Gradients.Select(g => g.Name));
        Assert.All(report.Gradients, g => Assert.True(g.Norm > 0 && !g.IsZero && !g.IsNonFinite));
        Assert.Contains("smoke test passed", output.ToString());
        Assert.Contains("dense_1/bias [3]", output.ToString());
        // The model is as it was: the smoke test trains on a copy of its state.
        Assert.Equal(before, ((IModel)model).AllVariables.Select(v => v.ToDoubleArray()));
        Assert.Equal(0, model.GlobalStep);
    }

    [Fact]
    public void TheSmokeTestsGradientNormsAreTheInterpretersForGradientDescent()
    {
        var model = new LayerClassifier(seed: 2);
        var (x, labels) = Classes(9, seed: 5);
        var report = model.SmokeTest(Batches(x, labels, 9), learningRate: 0.5f);
        var feeds = new Dictionary<string, (float[], int[])>
        {
            ["x"] = (x, [9, 2, 3]), ["labels"] = (labels.Select(l => (float)l).ToArray(), [9]), ["learning_rate"] = ([0.5f], []),
        };
        var (_, updated) = GraphCompiler.Runtime.Reference.ReferenceInterpreter.Run(model, LayerClassifier.Ir.TrainStep, feeds, training: true);
        foreach (var g in report.Gradients)
        {
            var before = ((IModel)model).AllVariables[g.Name].ToDoubleArray();
            double norm = Math.Sqrt(before.Zip(updated[g.Name].Data, (b, a) => (b - a) * (b - a)).Sum()) / 0.5;
            Assert.True(Math.Abs(norm - g.Norm) <= 1e-3 * norm + 1e-5, $"{g.Name}: interpreter {norm}, smoke test {g.Norm}");
        }
    }

    [Fact]
    public void ForAdamTheSmokeTestReportsTheFirstUpdatesNormOverTheRate()
    {
        var model = new AdamRegressor(seed: 1);
        float[] x = [1, 0, 2, 0, 1, 1, 3, 1, 0, 1, 1, 1];
        float[] y = [2, 1, 0, 1];
        var report = model.SmokeTest(Dataset.Zip(Dataset.FromTensorSlices(x, [4, 3]), Dataset.FromTensorSlices(y, [4, 1])).Batch(4), learningRate: 0.01f);
        Assert.False(report.GradientsAreExact);
        Assert.True(report.Passed, report.Failure);
        // Adam's first update is lr·m̂/(√v̂ + ε) ≈ lr·sign(g) per element: its norm ÷ lr is √(elements).
        Assert.Equal(Math.Sqrt(3), report.Gradients.Single(g => g.Name == "dense/kernel").Norm, 0.01);
        Assert.Equal(1, report.Gradients.Single(g => g.Name == "dense/bias").Norm, 0.01);
    }

    [Fact]
    public void TheSmokeTestFailsWhenTheLossCannotFall()
    {
        var model = new LayerClassifier(seed: 1);
        var (x, labels) = Classes(16, seed: 3);
        var output = new StringWriter();
        var e = Assert.Throws<SmokeTestFailedException>(() => model.Fit(Batches(x, labels, 16), learningRate: 0f, smokeTest: true, output: output));
        Assert.False(e.Report.LossFell);
        Assert.Contains("did not fall", e.Message);
        Assert.Contains("smoke test FAILED", output.ToString());
    }

    [Fact]
    public void AFailedSmokeTestExitsASampleWithItsOwnCode()
    {
        var model = new LayerClassifier(seed: 1);
        var (x, labels) = Classes(8, seed: 3);
        var error = new StringWriter();
        var saved = Console.Error;
        Console.SetError(error);
        try
        {
            int code = GraphCompiler.Samples.SampleProgram.Run(new System.CommandLine.RootCommand("smoke"), [], _ =>
            {
                model.Fit(Batches(x, labels, 8), learningRate: 0f, smokeTest: true, output: TextWriter.Null);
                return GraphCompiler.Samples.ExitCodes.Success;
            });
            Assert.Equal(GraphCompiler.Samples.ExitCodes.SmokeTestFailed, code);
            Assert.Equal(4, code);
        }
        finally
        {
            Console.SetError(saved);
        }
        Assert.StartsWith("error: smoke test failed: the loss did not fall", error.ToString());
    }

    [Fact]
    public void TheLinearRegressionSmokeTestShowsTheExactGradients()
    {
        var dll = Path.Combine(TestRepository.Root, "samples", "LinearRegression", "bin", TestRepository.Configuration, "net10.0", "LinearRegression.dll");
        var (code, output) = TestRepository.Run("dotnet", $"\"{dll}\" --smoke", TestRepository.Root, TimeSpan.FromMinutes(2));
        Assert.True(code == 0, output);
        // At W = 0.3, b = -0.3: dL/dW = 2·Σ(Wx + b − y)·x = 52 and dL/db = 2·Σ(Wx + b − y) = 15.6.
        Assert.Matches(@"W \[1\]\s+52(\.0+)?\s", output);
        Assert.Matches(@"b \[1\]\s+15\.6", output);
        Assert.Contains("smoke test passed", output);
    }

    [Fact]
    public void TheSmokeTestNamesAVariableTheLossDoesNotReach()
    {
        var model = new DisconnectedModel(seed: 1);
        var rng = new Random(1);
        var x = Enumerable.Range(0, 24).Select(_ => (float)rng.NextDouble()).ToArray();
        var y = Enumerable.Range(0, 8).Select(i => x[i * 3] - x[i * 3 + 2]).ToArray();
        var data = Dataset.Zip(Dataset.FromTensorSlices(x, [8, 3]), Dataset.FromTensorSlices(y, [8, 1])).Batch(8);
        var report = model.SmokeTest(data, learningRate: 0.1f);
        Assert.True(report.LossFell);
        Assert.Equal(new[] { "unused" }, report.ZeroGradients);
        Assert.False(report.Passed);
        Assert.Contains("zero gradient for unused", report.Failure);
    }
}
