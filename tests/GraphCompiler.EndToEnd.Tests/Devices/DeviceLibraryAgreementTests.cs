using GraphCompiler.EndToEnd.Tests.Models;
using GraphCompiler.Runtime.Devices;
using static GraphCompiler.EndToEnd.Tests.Agreement;
using static GraphCompiler.EndToEnd.Tests.Devices.DeviceAgreementTests;

namespace GraphCompiler.EndToEnd.Tests.Devices;

/// <summary>
/// The device library's windows, dropout and gathered-row routines inside generated models, on ILGPU's
/// CPU accelerator against the generated CPU path: every shape op (concat, slices, pad, tile, int64
/// gather), dropout's mask in train steps, and word2vec's negative sampling with dimension
/// hyperparameters (gather_dot, the sparse row updates) over several steps.
/// </summary>
[Collection(DeviceCollection.Name)]
public class DeviceLibraryAgreementTests
{
    private static float[] RandomData(Random rng, int n) => Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public void EveryShapeOpAgreesForwardAndOverTrainSteps(int n)
    {
        var rng = new Random(300 + n);
        var cpu = new ShapeFamilyModel(seed: 5);
        var device = new ShapeFamilyModel(seed: 5, Device.IlgpuCpu());
        try
        {
            var x = RandomData(rng, n * 4);
            var ids = Enumerable.Range(0, n).Select(_ => rng.Next(7)).ToArray();
            var labels = Enumerable.Range(0, n).Select(i => i % 7).ToArray();
            var rows = new long[] { 6, 2 };
            var (features, picked) = cpu.Forward(x, ids, labels, rows);
            var (deviceFeatures, devicePicked) = device.Forward(x, ids, labels, rows);
            Assert.Equal(features.Shape, deviceFeatures.Shape);
            for (int i = 0; i < features.Data.Length; i++) AssertClose(features.Data[i], deviceFeatures.Data[i], $"features[{i}]");
            for (int i = 0; i < picked.Data.Length; i++) AssertClose(picked.Data[i], devicePicked.Data[i], $"picked[{i}]");
            for (int step = 0; step < 2; step++)
                AssertClose(cpu.TrainStep(x, ids, labels, rows, 0.1f), device.TrainStep(x, ids, labels, rows, 0.1f), $"loss at step {step}");
            AssertSameVariables(cpu, device, "after 2 steps");
        }
        finally
        {
            device.DeviceProgram?.Dispose();
        }
    }

    [Fact]
    public void DropoutDrawsTheSameMaskOnTheDevice()
    {
        var rng = new Random(8);
        var cpu = new DropoutModel(seed: 2);
        var device = new DropoutModel(seed: 2, Device.IlgpuCpu());
        try
        {
            var x = RandomData(rng, 6 * 4);
            var y = RandomData(rng, 6 * 2);
            AssertClose(cpu.Loss(x, y), device.Loss(x, y), "loss without dropout");
            for (int step = 0; step < 3; step++)
                AssertClose(cpu.TrainStep(x, y, 0.2f), device.TrainStep(x, y, 0.2f), $"loss at step {step}");
            AssertSameVariables(cpu, device, "after 3 steps");
        }
        finally
        {
            device.DeviceProgram?.Dispose();
        }
    }

    [Theory]
    [InlineData(11, 5, 3)]
    [InlineData(1, 1, 1)]
    [InlineData(6, 17, 2)]
    public void NegativeSamplingWithHyperparametersAgreesOverSteps(int vocab, int dim, int groups)
    {
        var cpu = new HyperNegativeSamplingModel(vocab: vocab, dim: dim, seed: 3);
        var device = new HyperNegativeSamplingModel(vocab: vocab, dim: dim, seed: 3, Device.IlgpuCpu());
        try
        {
            var random = new Random(vocab * 10 + dim);
            for (int step = 0; step < 4; step++)
            {
                // Small vocabularies repeat ids within a step: the device's atomic row updates must accumulate them.
                int[] Draw(int n) => Enumerable.Range(0, n).Select(_ => random.Next(vocab)).ToArray();
                int[] centers = Draw(groups * 2), labels = Draw(groups * 2), negatives = Draw(groups * 3);
                AssertClose(cpu.TrainStep(centers, labels, negatives, groups, 0.5f), device.TrainStep(centers, labels, negatives, groups, 0.5f), $"loss at step {step}");
            }
            AssertSameVariables(cpu, device, "after 4 steps");
        }
        finally
        {
            device.DeviceProgram?.Dispose();
        }
    }
}
