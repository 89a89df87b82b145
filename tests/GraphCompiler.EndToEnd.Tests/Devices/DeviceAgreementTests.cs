using GraphCompiler.EndToEnd.Tests.Models;
using GraphCompiler.Runtime;
using GraphCompiler.Runtime.Checkpoints;
using GraphCompiler.Runtime.Devices;
using GraphCompiler.Runtime.Reference;
using GraphCompiler.Runtime.Summaries;
using static GraphCompiler.EndToEnd.Tests.Agreement;

namespace GraphCompiler.EndToEnd.Tests.Devices;

/// <summary>
/// Every model's generated device path (ILGPU kernels, the device GEMM and library routines) on ILGPU's
/// CPU accelerator, against the generated CPU path and the reference interpreter: forward values, the
/// first train step's updated variables (gradients times the rate), then several steps with optimizer
/// slots. Sizes are small: the accelerator simulates every GPU thread on the host.
/// </summary>
[Collection(DeviceCollection.Name)]
public class DeviceAgreementTests
{
    private static float[] RandomData(Random rng, int n) => Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();

    /// <summary>The device model's variables, copied to the host, against the CPU model's.</summary>
    internal static void AssertSameVariables(IModel cpu, IModel device, string when)
    {
        ((IDeviceResident)device).DeviceProgram!.CopyVariablesToHost();
        foreach (var v in cpu.AllVariables)
        {
            var expected = v.ToDoubleArray();
            var actual = device.AllVariables[v.Name].ToDoubleArray();
            for (int i = 0; i < expected.Length; i++) AssertClose(expected[i], actual[i], $"{v.Name}[{i}] {when}");
        }
    }

    [Fact]
    public void MlpForwardTrainStepsAndInterpreterAgree()
    {
        var rng = new Random(1);
        var cpu = new MlpModel(seed: 7);
        var device = new MlpModel(seed: 7, Device.IlgpuCpu());
        try
        {
            foreach (var batch in new[] { 5, 1, 5 })
            {
                var x = RandomData(rng, batch * 6);
                var y = RandomData(rng, batch * 3);
                var feeds = new Dictionary<string, (float[], int[])> { ["x"] = (x, new[] { batch, 6 }), ["y"] = (y, new[] { batch, 3 }) };
                AssertClose(ReferenceInterpreter.Run(cpu, MlpModel.Ir.Loss, feeds).Outputs["result"].Data[0], device.Loss(x, y), $"loss at batch {batch}");
                feeds["learning_rate"] = (new[] { 0.05f }, Array.Empty<int>());
                var (outputs, updated) = ReferenceInterpreter.Run(cpu, MlpModel.Ir.TrainStep, feeds);
                AssertClose(outputs["loss"].Data[0], device.TrainStep(x, y, 0.05f), "train loss");
                AssertClose(outputs["loss"].Data[0], cpu.TrainStep(x, y, 0.05f), "CPU train loss");
                device.DeviceProgram!.CopyVariablesToHost();
                AssertVariablesAgree(device, updated, $" after a step at batch {batch}");
                AssertSameVariables(cpu, device, $"at batch {batch}");
            }
            Assert.Equal(cpu.GlobalStep, device.GlobalStep);
        }
        finally
        {
            device.DeviceProgram?.Dispose();
        }
    }

    [Fact]
    public void DenseLayersForwardAndTrainingAgree()
    {
        var rng = new Random(2);
        var cpu = new DenseLayerModel(seed: 3);
        var device = new DenseLayerModel(seed: 3, Device.IlgpuCpu());
        try
        {
            var x = RandomData(rng, 7 * 6);
            var y = RandomData(rng, 7 * 3);
            var expected = cpu.Forward(x);
            var actual = device.Forward(x);
            Assert.Equal(expected.Shape, actual.Shape);
            for (int i = 0; i < expected.Data.Length; i++) AssertClose(expected.Data[i], actual.Data[i], $"forward[{i}]");
            for (int step = 0; step < 3; step++)
                AssertClose(cpu.TrainStep(x, y, 0.1f), device.TrainStep(x, y, 0.1f), $"loss at step {step}");
            AssertSameVariables(cpu, device, "after 3 steps");
        }
        finally
        {
            device.DeviceProgram?.Dispose();
        }
    }

    // Both group shapes of the CPU accelerator: one thread per row (the default there) and the GPU's
    // several threads per row meeting at barriers.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SparseSoftmaxRowKernelAgrees(bool gpuGroups)
    {
        var rng = new Random(3);
        var cpu = new SparseSoftmaxModel(seed: 5);
        var device = new SparseSoftmaxModel(seed: 5, Device.IlgpuCpu(gpuGroups));
        try
        {
            var x = RandomData(rng, 9 * 6);
            var labels = Enumerable.Range(0, 9).Select(i => i * 7 % 10).ToArray();
            for (int step = 0; step < 3; step++)
                AssertClose(cpu.TrainStep(x, labels, 0.5f), device.TrainStep(x, labels, 0.5f), $"loss at step {step}");
            AssertSameVariables(cpu, device, "after 3 steps");
        }
        finally
        {
            device.DeviceProgram?.Dispose();
        }
    }

    [Fact]
    public void BroadcastsAndRowSumsAgree()
    {
        var rng = new Random(4);
        var cpu = new BroadcastModel(seed: 2);
        var device = new BroadcastModel(seed: 2, Device.IlgpuCpu());
        try
        {
            var x = RandomData(rng, 3 * 3 * 5);
            var expected = cpu.Forward(x);
            var actual = device.Forward(x);
            for (int i = 0; i < expected.Data.Length; i++) AssertClose(expected.Data[i], actual.Data[i], $"forward[{i}]");
            foreach (var (n, m) in new[] { (3, 7), (2, 0), (1, 1) })
            {
                var rows = RandomData(rng, n * m);
                var cpuSums = cpu.RowSums(rows, n);
                var deviceSums = device.RowSums(rows, n);
                for (int i = 0; i < n; i++) AssertClose(cpuSums.Data[i], deviceSums.Data[i], $"row sum {i} of {n}x{m}");
            }
            for (int step = 0; step < 2; step++)
                AssertClose(cpu.TrainStep(x, 0.1f), device.TrainStep(x, 0.1f), $"loss at step {step}");
            AssertSameVariables(cpu, device, "after 2 steps");
        }
        finally
        {
            device.DeviceProgram?.Dispose();
        }
    }

    [Fact]
    public void AdamSlotsAndLayoutOpsAgreeOverSteps()
    {
        var adamCpu = new AdamModel(seed: 1);
        var adamDevice = new AdamModel(seed: 1, Device.IlgpuCpu());
        var shapesCpu = new ShapesModel(seed: 3);
        var shapesDevice = new ShapesModel(seed: 3, Device.IlgpuCpu());
        try
        {
            float[] target = [0.5f, 1.5f];
            for (int step = 0; step < 4; step++)
                AssertClose(adamCpu.TrainStep(target, 0.1f), adamDevice.TrainStep(target, 0.1f), $"Adam loss at step {step}");
            // The slots (w/Adam, w/Adam_1) are variables too: every one agrees.
            AssertSameVariables(adamCpu, adamDevice, "after 4 Adam steps");

            var x = RandomData(new Random(5), 6 * 4);
            AssertClose(shapesCpu.Loss(x), shapesDevice.Loss(x), "layout loss");
            var sums = shapesDevice.ColumnSums(x);
            var expected = shapesCpu.ColumnSums(x);
            for (int i = 0; i < 4; i++) AssertClose(expected.Data[i], sums.Data[i], $"column {i}");
            for (int step = 0; step < 2; step++)
                AssertClose(shapesCpu.TrainStep(x, 0.1f), shapesDevice.TrainStep(x, 0.1f), $"layout loss at step {step}");
            AssertSameVariables(shapesCpu, shapesDevice, "after 2 steps");
        }
        finally
        {
            adamDevice.DeviceProgram?.Dispose();
            shapesDevice.DeviceProgram?.Dispose();
        }
    }

    [Fact]
    public void SummariesAreReadFromTheDeviceOnSummaryStepsOnly()
    {
        var cpuSink = new CountingSink();
        var deviceSink = new CountingSink();
        var cpu = new SummaryModel(seed: 1) { SummarySink = cpuSink, SummaryEvery = 2 };
        var device = new SummaryModel(seed: 1, Device.IlgpuCpu()) { SummarySink = deviceSink, SummaryEvery = 2 };
        try
        {
            float[] x = [1, 2, 3, 4], y = [0, -1, -2, -3];
            for (int step = 0; step < 3; step++) AssertClose(cpu.TrainStep(x, y, 0.01f), device.TrainStep(x, y, 0.01f), $"loss at step {step}");
            Assert.Equal(cpuSink.Writes, deviceSink.Writes);
            Assert.Equal(2, deviceSink.Writes.Count(w => w.StartsWith("scalar ", StringComparison.Ordinal) && w.Contains("total", StringComparison.Ordinal)));
        }
        finally
        {
            device.DeviceProgram?.Dispose();
        }
    }

    [Fact]
    public void ACheckpointSavedOnTheDeviceRestoresOnTheCpuAndBack()
    {
        var dir = Directory.CreateTempSubdirectory("gc-device-ckpt").FullName;
        var device = new AdamModel(seed: 1, Device.IlgpuCpu());
        try
        {
            float[] target = [0.5f, 1.5f];
            for (int step = 0; step < 3; step++) device.TrainStep(target, 0.1f);
            var saver = new Saver();
            var path = saver.Save(device, Path.Combine(dir, "model"), device.GlobalStep);
            var cpu = new AdamModel(seed: 99);
            saver.Restore(cpu, path);
            Assert.Equal(3, cpu.GlobalStep);
            AssertClose(cpu.TrainStep(target, 0.1f), device.TrainStep(target, 0.1f), "the step after the restore");
            AssertSameVariables(cpu, device, "after the restored step");

            var again = new AdamModel(seed: 42, Device.IlgpuCpu());
            try
            {
                saver.Restore(again, saver.Save(cpu, Path.Combine(dir, "cpu")));
                AssertClose(cpu.TrainStep(target, 0.1f), again.TrainStep(target, 0.1f), "a CPU checkpoint on the device");
            }
            finally
            {
                again.DeviceProgram?.Dispose();
            }
        }
        finally
        {
            device.DeviceProgram?.Dispose();
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void AModelWithoutADevicePathSaysWhichOpIsMissing()
    {
        var error = Assert.Throws<NotSupportedException>(() => new BatchedMatMulModel(seed: 1, Device.IlgpuCpu()));
        Assert.Contains("K0_matmul: the device GEMM broadcasts a batch of one only", error.Message);
        Assert.Null(new BatchedMatMulModel(seed: 1, Device.Cpu).DeviceProgram);
    }

    private sealed class CountingSink : ISummarySink
    {
        public List<string> Writes { get; } = new();

        public void Scalar(string tag, float value, long step) => Writes.Add($"scalar {tag} {step} {value:R}");

        public void Histogram(string tag, ReadOnlySpan<float> values, long step) => Writes.Add($"histogram {tag} {step} {values.Length}");

        public void Image(string tag, ReadOnlySpan<float> pixels, ReadOnlySpan<int> shape, long step) => Writes.Add($"image {tag} {step} {pixels.Length}");

        public void Text(string tag, string text, long step) => Writes.Add($"text {tag} {step} {text}");
    }
}

/// <summary>The device tests run one at a time: each opens ILGPU's CPU accelerator, which uses every core.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DeviceCollection
{
    public const string Name = "ILGPU CPU accelerator models";
}
