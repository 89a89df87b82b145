using GraphCompiler.EndToEnd.Tests.Models;
using GraphCompiler.Runtime;
using GraphCompiler.Runtime.Data;
using GraphCompiler.Runtime.Devices;
using GraphCompiler.Runtime.Reference;
using GraphCompiler.Runtime.Training;
using static GraphCompiler.EndToEnd.Tests.Agreement;

namespace GraphCompiler.EndToEnd.Tests.Devices;

/// <summary>
/// Convolution, pooling, depthwise convolution and batch normalization on the device path (im2col and the
/// device GEMM, the window kernels, batch norm's reductions) on ILGPU's CPU accelerator, against the CPU path
/// and the reference interpreter: forward values and train steps with their updated variables, at batch 1 and
/// an odd batch, over strided, dilated, SAME (asymmetric) and VALID windows.
/// </summary>
[Collection(DeviceCollection.Name)]
public class ConvolutionDeviceTests
{
    private static float[] Data(Random rng, int count) => Enumerable.Range(0, count).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();

    /// <summary>
    /// The forward output of both paths against the interpreter, then <paramref name="steps"/> train steps: each
    /// loss against the interpreter's and the CPU path's, the device's variables against both after every step.
    /// </summary>
    private static void Agree<TModel>(TModel cpu, TModel device, string forward, string train, Dictionary<string, (float[], int[])> feeds,
        Func<TModel, NDArray<float>> predict, Func<TModel, float> step, int steps = 2) where TModel : IModel
    {
        try
        {
            var (expected, _) = ReferenceInterpreter.Run(cpu, forward, feeds);
            var actual = predict(device);
            Assert.Equal(expected["result"].Data.Length, actual.Data.Length);
            for (int i = 0; i < actual.Data.Length; i++) AssertClose(expected["result"].Data[i], actual.Data[i], $"forward[{i}]");
            var trainFeeds = new Dictionary<string, (float[], int[])>(feeds) { ["learning_rate"] = (new[] { 0.3f }, Array.Empty<int>()) };
            for (int s = 0; s < steps; s++)
            {
                var (outputs, updated) = ReferenceInterpreter.Run(cpu, train, trainFeeds, training: true);
                AssertClose(outputs["loss"].Data[0], step(device), $"device loss at step {s}");
                AssertClose(outputs["loss"].Data[0], step(cpu), $"CPU loss at step {s}");
                ((IDeviceResident)device).DeviceProgram!.CopyVariablesToHost();
                AssertVariablesAgree(device, updated, $" after step {s}");
                DeviceAgreementTests.AssertSameVariables(cpu, device, $"after step {s}");
            }
        }
        finally
        {
            ((IDeviceResident)device).DeviceProgram?.Dispose();
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void ConvolutionsAndPoolingAgree(int n)
    {
        var rng = new Random(30 + n);
        var (x, y) = (Data(rng, n * 7 * 6 * 2), Data(rng, n * 3));
        Agree(new ConvolutionModel(seed: 3), new ConvolutionModel(seed: 3, Device.IlgpuCpu()), ConvolutionModel.Ir.Forward, ConvolutionModel.Ir.TrainStep,
            new() { ["x"] = (x, new[] { n, 7, 6, 2 }), ["y"] = (y, new[] { n, 3 }) }, m => m.Forward(x), m => m.TrainStep(x, y, 0.3f));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void StridedPointwiseAndOverlappingWindowsAgree(int n)
    {
        var rng = new Random(40 + n);
        var (x, y) = (Data(rng, n * 9 * 7 * 3), Data(rng, n * 8));
        Agree(new WindowGeometryModel(seed: 2), new WindowGeometryModel(seed: 2, Device.IlgpuCpu()), WindowGeometryModel.Ir.Forward, WindowGeometryModel.Ir.TrainStep,
            new() { ["x"] = (x, new[] { n, 9, 7, 3 }), ["y"] = (y, new[] { n, 8 }) }, m => m.Forward(x), m => m.TrainStep(x, y, 0.3f));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void DepthwiseConvolutionsAgree(int n)
    {
        var rng = new Random(50 + n);
        var (x, y) = (Data(rng, n * 5 * 6 * 2), Data(rng, n * 4));
        Agree(new DepthwiseModel(seed: 4), new DepthwiseModel(seed: 4, Device.IlgpuCpu()), DepthwiseModel.Ir.Forward, DepthwiseModel.Ir.TrainStep,
            new() { ["x"] = (x, new[] { n, 5, 6, 2 }), ["y"] = (y, new[] { n, 4 }) }, m => m.Forward(x), m => m.TrainStep(x, y, 0.3f));
    }

    [Fact]
    public void BatchNormalizedConvolutionTrainsAndInfersWithTheMovingStatistics()
    {
        const int n = 3;
        var rng = new Random(60);
        var (x, y) = (Data(rng, n * 5 * 7 * 2).Select(v => 2 * v + 0.5f).ToArray(), Data(rng, n * 3 * 4 * 3));
        var feeds = new Dictionary<string, (float[], int[])> { ["x"] = (x, new[] { n, 5, 7, 2 }), ["y"] = (y, new[] { n, 3, 4, 3 }) };
        Agree(new ConvBatchNormModel(seed: 2), new ConvBatchNormModel(seed: 2, Device.IlgpuCpu()), ConvBatchNormModel.Ir.Forward, ConvBatchNormModel.Ir.TrainStep,
            feeds, m => m.Forward(x), m => m.TrainStep(x, y, 0.3f), steps: 3);
    }

    [Fact]
    public void ASequentialCnnWithBatchNormAgrees()
    {
        const int n = 4;
        var rng = new Random(70);
        var x = Data(rng, n * 25);
        var labels = Enumerable.Range(0, n).Select(i => i % 2).ToArray();
        var feeds = new Dictionary<string, (float[], int[])> { ["x"] = (x, new[] { n, 5, 5, 1 }), ["labels"] = (labels.Select(l => (float)l).ToArray(), new[] { n }) };
        Agree(new SequentialCnnModel(seed: 5), new SequentialCnnModel(seed: 5, Device.IlgpuCpu()), SequentialCnnModel.Ir.Forward, SequentialCnnModel.Ir.TrainStep,
            feeds, m => m.Forward(x), m => m.TrainStep(x, labels, 0.3f));
    }

    [Fact]
    public void TheSmokeTestReadsAndRestoresTheDeviceVariables()
    {
        const int n = 4;
        var rng = new Random(80);
        var (x, y) = (Data(rng, n * 7 * 6 * 2), Data(rng, n * 3));
        var batches = Dataset.Zip(Dataset.FromTensorSlices(x, [n, 7, 6, 2]), Dataset.FromTensorSlices(y, [n, 3])).Batch(n, dropRemainder: false);
        var cpu = new ConvolutionModel(seed: 3);
        var device = new ConvolutionModel(seed: 3, Device.IlgpuCpu());
        try
        {
            var expected = cpu.SmokeTest(batches, 0.3f, steps: 5);
            var actual = device.SmokeTest(batches, 0.3f, steps: 5);
            Assert.True(actual.Passed, actual.ToString());
            Assert.Equal(expected.Gradients.Select(g => g.Name), actual.Gradients.Select(g => g.Name));
            foreach (var (e, a) in expected.Gradients.Zip(actual.Gradients)) AssertClose(e.Norm, a.Norm, $"gradient norm of {e.Name}");
            // Put back on the device: the next step is the CPU model's next step.
            AssertClose(cpu.TrainStep(x, y, 0.3f), device.TrainStep(x, y, 0.3f), "the step after the smoke test");
        }
        finally
        {
            device.DeviceProgram?.Dispose();
        }
    }
}
