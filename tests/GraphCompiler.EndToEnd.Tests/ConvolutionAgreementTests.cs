using GraphCompiler.EndToEnd.Tests.Models;
using GraphCompiler.Runtime;
using GraphCompiler.Runtime.Reference;
using static GraphCompiler.EndToEnd.Tests.Agreement;

namespace GraphCompiler.EndToEnd.Tests;

/// <summary>Generated convolution, pooling and batch-normalization code against the reference interpreter and hand-computed values.</summary>
public class ConvolutionAgreementTests
{
    private static float[] Data(Random rng, int count) => Enumerable.Range(0, count).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public void ConvolutionForwardAndTrainStepsAgreeWithTheInterpreter(int n)
    {
        var rng = new Random(n);
        var (x, y) = (Data(rng, n * 7 * 6 * 2), Data(rng, n * 3));
        var model = new ConvolutionModel(seed: 3);
        // Keras's names, numbered per method; Forward and Loss build the same two layers, so they share them.
        Assert.Equal(new[] { "conv2d/bias", "conv2d/kernel", "conv2d_1/bias", "conv2d_1/kernel" },
            ((IModel)model).AllVariables.Where(v => v.Trainable).Select(v => v.Name).Order(StringComparer.Ordinal));
        var feeds = new Dictionary<string, (float[], int[])> { ["x"] = (x, new[] { n, 7, 6, 2 }), ["y"] = (y, new[] { n, 3 }) };

        var (forward, _) = ReferenceInterpreter.Run(model, ConvolutionModel.Ir.Forward, feeds);
        var generated = model.Forward(x);
        for (int i = 0; i < n * 3; i++) AssertClose(forward["result"].Data[i], generated.Data[i], $"forward[{i}]");

        for (int step = 0; step < 3; step++)
        {
            var trainFeeds = new Dictionary<string, (float[], int[])>(feeds) { ["learning_rate"] = (new[] { 0.5f }, Array.Empty<int>()) };
            var (outputs, updated) = ReferenceInterpreter.Run(model, ConvolutionModel.Ir.TrainStep, trainFeeds, training: true);
            AssertClose(outputs["loss"].Data[0], model.TrainStep(x, y, 0.5f), $"loss at step {step}");
            AssertVariablesAgree(model, updated, $" after step {step}");
        }
    }

    /// <summary>The pooling fused into the convolution's store (inference stores only the pooled value; the train step both).</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void AveragePoolingInTheConvolutionsStoreAgreesWithTheInterpreter(int n)
    {
        var rng = new Random(40 + n);
        var (x, y) = (Data(rng, n * 7 * 8 * 3), Data(rng, n * 5));
        var model = new ConvAvgPoolModel(seed: 6);
        var feeds = new Dictionary<string, (float[], int[])> { ["x"] = (x, new[] { n, 7, 8, 3 }), ["y"] = (y, new[] { n, 5 }) };
        var (forward, _) = ReferenceInterpreter.Run(model, ConvAvgPoolModel.Ir.Forward, feeds);
        var generated = model.Forward(x);
        Assert.Equal(n * 2 * 2 * 5, generated.Data.Length);
        for (int i = 0; i < generated.Data.Length; i++) AssertClose(forward["result"].Data[i], generated.Data[i], $"forward[{i}]");
        for (int step = 0; step < 3; step++)
        {
            var trainFeeds = new Dictionary<string, (float[], int[])>(feeds) { ["learning_rate"] = (new[] { 0.5f }, Array.Empty<int>()) };
            var (outputs, updated) = ReferenceInterpreter.Run(model, ConvAvgPoolModel.Ir.TrainStep, trainFeeds, training: true);
            AssertClose(outputs["loss"].Data[0], model.TrainStep(x, y, 0.5f), $"loss at step {step}");
            AssertVariablesAgree(model, updated, $" after step {step}");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void DepthwiseForwardAndTrainStepsAgreeWithTheInterpreter(int n)
    {
        var rng = new Random(20 + n);
        var (x, y) = (Data(rng, n * 5 * 6 * 2), Data(rng, n * 4));
        var model = new DepthwiseModel(seed: 4);
        Assert.Equal(new[] { "depthwise_conv2d/bias", "depthwise_conv2d/depthwise_kernel", "dilated/kernel" },
            ((IModel)model).AllVariables.Select(v => v.Name).Order(StringComparer.Ordinal));
        var feeds = new Dictionary<string, (float[], int[])> { ["x"] = (x, new[] { n, 5, 6, 2 }), ["y"] = (y, new[] { n, 4 }) };
        var (forward, _) = ReferenceInterpreter.Run(model, DepthwiseModel.Ir.Forward, feeds);
        var generated = model.Forward(x);
        for (int i = 0; i < n * 4; i++) AssertClose(forward["result"].Data[i], generated.Data[i], $"forward[{i}]");
        for (int step = 0; step < 3; step++)
        {
            var trainFeeds = new Dictionary<string, (float[], int[])>(feeds) { ["learning_rate"] = (new[] { 0.5f }, Array.Empty<int>()) };
            var (outputs, updated) = ReferenceInterpreter.Run(model, DepthwiseModel.Ir.TrainStep, trainFeeds, training: true);
            AssertClose(outputs["loss"].Data[0], model.TrainStep(x, y, 0.5f), $"loss at step {step}");
            AssertVariablesAgree(model, updated, $" after step {step}");
        }
    }

    [Fact]
    public void ASequentialCnnTrainsUnderKerasNamesAndAgreesWithTheInterpreter()
    {
        const int n = 6;
        var rng = new Random(11);
        // Class 1 is a bright centre, class 0 a bright border: separable by the convolutions.
        var labels = Enumerable.Range(0, n).Select(i => i % 2).ToArray();
        var x = new float[n * 25];
        for (int i = 0; i < n; i++)
            for (int p = 0; p < 25; p++)
            {
                bool centre = p / 5 is >= 1 and <= 3 && p % 5 is >= 1 and <= 3;
                x[i * 25 + p] = (centre == (labels[i] == 1) ? 1f : 0f) + (float)(rng.NextDouble() * 0.2);
            }
        var model = new SequentialCnnModel(seed: 5);
        Assert.Equal(new[]
        {
            "batch_normalization/beta", "batch_normalization/gamma", "batch_normalization/moving_mean", "batch_normalization/moving_variance",
            "conv2d/kernel", "conv2d_1/bias", "conv2d_1/kernel", "dense/bias", "dense/kernel",
        }, ((IModel)model).AllVariables.Select(v => v.Name).Order(StringComparer.Ordinal));

        var feeds = new Dictionary<string, (float[], int[])>
        {
            ["x"] = (x, new[] { n, 5, 5, 1 }), ["labels"] = (labels.Select(l => (float)l).ToArray(), new[] { n }), ["learning_rate"] = (new[] { 0.2f }, Array.Empty<int>()),
        };
        float first = 0, last = 0;
        for (int step = 0; step < 40; step++)
        {
            if (step < 2)
            {
                var (outputs, updated) = ReferenceInterpreter.Run(model, SequentialCnnModel.Ir.TrainStep, feeds, training: true);
                AssertClose(outputs["loss"].Data[0], last = model.TrainStep(x, labels, 0.2f), $"loss at step {step}");
                AssertVariablesAgree(model, updated, $" after step {step}");
            }
            else last = model.TrainStep(x, labels, 0.2f);
            if (step == 0) first = last;
        }
        Assert.True(last < first * 0.5f, $"loss {first} → {last}");
        var (forward, _) = ReferenceInterpreter.Run(model, SequentialCnnModel.Ir.Forward, feeds);
        var generated = model.Forward(x);
        for (int i = 0; i < n * 2; i++) AssertClose(forward["result"].Data[i], generated.Data[i], $"forward[{i}]");
    }

    [Fact]
    public void InferenceWithBatchNormFoldedIntoTheConvolutionAgreesWithTheInterpreter()
    {
        const int n = 3;
        var rng = new Random(13);
        var (x, y) = (Data(rng, n * 5 * 7 * 2).Select(v => 2 * v + 0.5f).ToArray(), Data(rng, n * 3 * 4 * 3));
        var model = new ConvBatchNormModel(seed: 2);
        // Moving statistics away from their initial zeros and ones, and gamma and beta away from theirs.
        for (int step = 0; step < 30; step++) model.TrainStep(x, y, 0.3f);
        Assert.NotEqual(0, ((IModel)model).AllVariables["batch_normalization/moving_mean"].ToDoubleArray()[0]);

        var feeds = new Dictionary<string, (float[], int[])> { ["x"] = (x, new[] { n, 5, 7, 2 }) };
        var (forward, _) = ReferenceInterpreter.Run(model, ConvBatchNormModel.Ir.Forward, feeds);
        var generated = model.Forward(x);
        Assert.Equal(forward["result"].Data.Length, generated.Data.Length);
        for (int i = 0; i < generated.Data.Length; i++) AssertClose(forward["result"].Data[i], generated.Data[i], $"forward[{i}]");
    }

    [Fact]
    public void BatchNormTrainsOnBatchStatisticsAndPredictsWithTheMovingAverages()
    {
        const int n = 4, k = 5;
        var rng = new Random(7);
        var x = Data(rng, n * 2 * 2 * 3).Select((v, i) => v * (1 + i % 3) + i % 3).ToArray(); // per-channel scale and offset
        var y = Data(rng, x.Length);
        var model = new BatchNormModel(seed: 1);
        int rows = x.Length / 3;
        double[] mean = new double[3], variance = new double[3];
        for (int i = 0; i < x.Length; i++) mean[i % 3] += x[i] / (double)rows;
        for (int i = 0; i < x.Length; i++) variance[i % 3] += Math.Pow(x[i] - mean[i % 3], 2) / rows;

        // Step 1, by hand: gamma 1 and beta 0, batch statistics, epsilon 1e-3.
        double expectedLoss = 0;
        for (int i = 0; i < x.Length; i++) expectedLoss += Math.Pow((x[i] - mean[i % 3]) / Math.Sqrt(variance[i % 3] + 1e-3) - y[i], 2) / x.Length;
        AssertClose(expectedLoss, model.TrainStep(x, y, 0.1f), "first loss");
        var feeds = new Dictionary<string, (float[], int[])> { ["x"] = (x, new[] { n, 2, 2, 3 }), ["y"] = (y, new[] { n, 2, 2, 3 }), ["learning_rate"] = (new[] { 0.1f }, Array.Empty<int>()) };
        for (int step = 1; step < k; step++)
        {
            var (outputs, updated) = ReferenceInterpreter.Run(model, BatchNormModel.Ir.TrainStep, feeds, training: true);
            AssertClose(outputs["loss"].Data[0], model.TrainStep(x, y, 0.1f), $"loss at step {step}");
            AssertVariablesAgree(model, updated, $" after step {step}");
        }

        // After k steps on the same batch: moving = 0.99ᵏ·initial + (1 − 0.99ᵏ)·batch.
        double decay = Math.Pow(0.99, k);
        var movingMean = ((IModel)model).AllVariables["batch_normalization/moving_mean"].ToDoubleArray();
        var movingVariance = ((IModel)model).AllVariables["batch_normalization/moving_variance"].ToDoubleArray();
        for (int c = 0; c < 3; c++)
        {
            AssertClose((1 - decay) * mean[c], movingMean[c], $"moving_mean[{c}]");
            AssertClose(decay + (1 - decay) * variance[c], movingVariance[c], $"moving_variance[{c}]");
        }

        // Inference normalizes with the moving statistics and leaves them alone.
        var gamma = ((IModel)model).AllVariables["batch_normalization/gamma"].ToDoubleArray();
        var beta = ((IModel)model).AllVariables["batch_normalization/beta"].ToDoubleArray();
        var predicted = model.Forward(x);
        for (int i = 0; i < x.Length; i++)
            AssertClose(gamma[i % 3] * (x[i] - movingMean[i % 3]) / Math.Sqrt(movingVariance[i % 3] + 1e-3) + beta[i % 3], predicted.Data[i], $"forward[{i}]");
        Assert.Equal(movingMean, ((IModel)model).AllVariables["batch_normalization/moving_mean"].ToDoubleArray());
        Assert.False(((IModel)model).AllVariables["batch_normalization/moving_mean"].Trainable);
    }
}
