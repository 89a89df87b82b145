using System.Globalization;
using Digits;
using DigitsCnn;
using GraphCompiler.Runtime.Data;
using GraphCompiler.Runtime.Kernels;
using GraphCompiler.Runtime.Training;

namespace GraphCompiler.Benchmarks.Compare;

public static partial class CompareCases
{
    /// <summary>The digits CNN sample's training: a fresh model, 10 epochs of batch 32 with Adam 1e-3 (one "step").</summary>
    public const string DigitsCnnName = "digits_cnn_10_epochs";

    /// <summary>A ResNet-like layer: batch 32, 56×56×64 → 64, 3×3, SAME; forward, input and filter gradients (one step).</summary>
    public const string Conv2DName = "conv2d_56x56x64";

    private static CompareCase DigitsCnn()
    {
        var all = DigitsData.Load(Path.Combine(AppContext.BaseDirectory, "data", "digits.csv.gz"));
        var (train, test) = all.Split(trainCount: 1437, seed: 0);
        var batches = Dataset.Zip(Dataset.FromTensorSlices(train.Images, [train.Count, 64]), Dataset.FromTensorSlices(train.Labels, [train.Count]))
            .Shuffle(bufferSize: train.Count, seed: 2)
            .Batch(32, dropRemainder: false);
        double accuracy = double.NaN;
        void TrainOnce()
        {
            var model = new DigitsCnnModel(seed: 1);
            Trainer.Fit(model, batches, b => model.TrainStep(b.First.Span, b.Second.Span, learningRate: 1e-3f),
                new FitOptions { Epochs = 10, StepIncrementsGlobalStep = true, LogInterval = 0 });
            var predicted = model.Predict(test.Images).Data;
            accuracy = Enumerable.Range(0, test.Count).Count(i => predicted[i] == test.Labels[i]) / (double)test.Count;
        }
        return new CompareCase(
            DigitsCnnName,
            n => { for (int i = 0; i < n; i++) TrainOnce(); },
            RunBaseline: null,
            // The model's math is checked against the reference interpreter by the end-to-end tests; here
            // only that it learns (a broken step would not reach 90 %).
            () => { TrainOnce(); return accuracy >= 0.9 ? 0 : 1; },
            Samples: 5,
            Details: () => "accuracy=" + accuracy.ToString("F4", CultureInfo.InvariantCulture));
    }

    private static CompareCase Conv2D56()
    {
        var g = new WindowGeometry(32, 56, 56, 64, 3, 3, 64, 56, 56, 1, 1, 1, 1, 1, 1);
        var x = BenchData.Normal(g.InputLength, seed: 21);
        var f = BenchData.Normal(g.PatchSize * g.OutChannels, seed: 22);
        var dy = BenchData.Normal(g.OutputPixels * g.OutChannels, seed: 23);
        float[] y = new float[dy.Length], dx = new float[x.Length], df = new float[f.Length];
        return new CompareCase(
            Conv2DName,
            n =>
            {
                for (int i = 0; i < n; i++)
                {
                    Convolution.Forward(g, x, f, ReadOnlySpan<float>.Empty, relu: false, y);
                    Convolution.BackpropInput(g, dy, f, dx);
                    Convolution.BackpropFilter(g, x, dy, df);
                }
            },
            RunBaseline: null,
            CheckConvolution,
            FlopsPerStep: 3 * 2.0 * g.OutputPixels * g.PatchSize * g.OutChannels);
    }

    /// <summary>The implicit GEMM against tap loops on a small SAME, strided geometry (the big one takes minutes that way).</summary>
    private static double CheckConvolution()
    {
        var g = new WindowGeometry(2, 9, 8, 5, 3, 3, 6, 5, 4, 2, 2, 1, 1, 1, 0);
        var x = BenchData.Normal(g.InputLength, seed: 24);
        var f = BenchData.Normal(g.PatchSize * g.OutChannels, seed: 25);
        float[] ours = new float[g.OutputPixels * g.OutChannels], naive = new float[ours.Length];
        Convolution.Forward(g, x, f, ReadOnlySpan<float>.Empty, relu: false, ours);
        for (int row = 0; row < g.OutputPixels; row++)
        {
            int b = row / (g.OutHeight * g.OutWidth), oy = row / g.OutWidth % g.OutHeight, ox = row % g.OutWidth;
            for (int tap = 0; tap < 9; tap++)
            {
                int iy = oy * g.StrideH - g.PadTop + tap / 3, ix = ox * g.StrideW - g.PadLeft + tap % 3;
                if (iy < 0 || iy >= g.Height || ix < 0 || ix >= g.Width) continue;
                for (int p = 0; p < g.Channels; p++)
                    for (int q = 0; q < g.OutChannels; q++)
                        naive[row * g.OutChannels + q] += x[((b * g.Height + iy) * g.Width + ix) * g.Channels + p] * f[(tap * g.Channels + p) * g.OutChannels + q];
            }
        }
        return Agreement.MaxRelativeDifference(ours, naive);
    }
}
