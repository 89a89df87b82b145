using System.Reflection;
using GraphCompiler.EndToEnd.Tests.Models;
using GraphCompiler.Runtime;
using GraphCompiler.Runtime.Devices;
using GraphCompiler.Runtime.Reference;
using static GraphCompiler.EndToEnd.Tests.Agreement;
using static GraphCompiler.EndToEnd.Tests.Devices.LoopDeviceTests;
using static GraphCompiler.EndToEnd.Tests.Recurrent.RecurrentCellTests;

namespace GraphCompiler.EndToEnd.Tests.Devices;

/// <summary>
/// Models whose fused kernels take more buffers than ILGPU's kernel loaders take parameters (the LSTM cell's
/// gate kernels, the math family's and the row kernel model's train steps), so their views travel packed in
/// a generated struct: on ILGPU's CPU accelerator their forward passes, train steps (gradient descent and
/// Adam, variables and slots compared after every step) agree with the CPU path and the reference interpreter.
/// </summary>
[Collection(DeviceCollection.Name)]
public class WideKernelDeviceTests
{
    [Theory]
    [InlineData(typeof(DynamicLstmModel))]
    [InlineData(typeof(AdamDynamicLstmModel))]
    [InlineData(typeof(MathOpsModel))]
    [InlineData(typeof(RowKernelModel))]
    public void TheModelHasAKernelWithPackedViews(Type model) =>
        Assert.Contains(model.GetNestedTypes(BindingFlags.Public), t => t.Name.EndsWith("Views", StringComparison.Ordinal) && t.IsValueType);

    private static Dictionary<string, (float[], int[])> LstmFeeds(int time, int[] lengths, int units, int seed) => new()
    {
        ["x"] = (RandomData(lengths.Length * time * 3, seed), [lengths.Length, time, 3]),
        ["lengths"] = (lengths.Select(l => (float)l).ToArray(), [lengths.Length]),
        ["y"] = (RandomData(lengths.Length * time * units, seed + 1), [lengths.Length, time, units]),
    };

    [Fact]
    public void AnLstmRunsForwardDynamicAndUnrolledOnTheDevice()
    {
        var (cpu, device) = Pair(d => d is null ? new DynamicLstmModel(seed: 1) : new DynamicLstmModel(seed: 1, d), 3);
        try
        {
            foreach (var (time, lengths) in new[] { (3, new[] { 3, 1 }), (0, new[] { 0 }), (1, new[] { 1, 1, 0 }), (5, new[] { 5, 2 }) })
            {
                var feeds = LstmFeeds(time, lengths, 5, time + 60);
                var x = feeds["x"].Item1;
                AssertAgree(ReferenceInterpreter.Run(cpu, DynamicLstmModel.Ir.Dynamic, feeds).Outputs["result"], cpu.Dynamic(x, lengths), device.Dynamic(x, lengths), $"outputs at time {time}");
                AssertAgree(ReferenceInterpreter.Run(cpu, DynamicLstmModel.Ir.DynamicFinal, feeds).Outputs["result"], cpu.DynamicFinal(x, lengths), device.DynamicFinal(x, lengths), $"final state at time {time}");
                if (time != 5) continue;
                AssertAgree(ReferenceInterpreter.Run(cpu, DynamicLstmModel.Ir.Static, feeds).Outputs["result"], cpu.Static(x, lengths), device.Static(x, lengths), "unrolled outputs");
                AssertAgree(ReferenceInterpreter.Run(cpu, DynamicLstmModel.Ir.StaticFinal, feeds).Outputs["result"], cpu.StaticFinal(x, lengths), device.StaticFinal(x, lengths), "unrolled final state");
            }
        }
        finally
        {
            Dispose(device);
        }
    }

    [Fact]
    public void AnLstmTrainsAtSeveralLengthsOnTheDevice()
    {
        var (cpu, device) = Pair(d => d is null ? new DynamicLstmModel(seed: 1) : new DynamicLstmModel(seed: 1, d), 4);
        try
        {
            foreach (var (time, lengths) in new[] { (3, new[] { 2, 3 }), (1, new[] { 1 }), (4, new[] { 4, 1, 3 }) })
            {
                var feeds = new Dictionary<string, (float[], int[])>(LstmFeeds(time, lengths, 5, 70 + time)) { ["learning_rate"] = ([0.1f], []) };
                TrainStepAgrees(cpu, device, DynamicLstmModel.Ir.TrainStep, feeds,
                    m => ((DynamicLstmModel)m).TrainStep(feeds["x"].Item1, lengths, feeds["y"].Item1, 0.1f), $"at time {time}");
            }
        }
        finally
        {
            Dispose(device);
        }
    }

    [Fact]
    public void AnLstmTrainsWithAdamOnTheDevice()
    {
        var (cpu, device) = Pair(d => d is null ? new AdamDynamicLstmModel(seed: 2) : new AdamDynamicLstmModel(seed: 2, d), 5);
        try
        {
            int step = 0;
            foreach (var (time, lengths) in new[] { (4, new[] { 4, 2 }), (4, new[] { 1, 4 }), (2, new[] { 2 }) })
            {
                var feeds = AdamStep(LstmFeeds(time, lengths, 4, 80 + step), cpu, 0.05f);
                var x = feeds["x"].Item1;
                AssertAgree(ReferenceInterpreter.Run(cpu, AdamDynamicLstmModel.Ir.Outputs, feeds).Outputs["result"], cpu.Outputs(x, lengths), device.Outputs(x, lengths), $"outputs before step {step}");
                TrainStepAgrees(cpu, device, AdamDynamicLstmModel.Ir.TrainStep, feeds,
                    m => ((AdamDynamicLstmModel)m).TrainStep(x, lengths, feeds["y"].Item1, 0.05f), $"at Adam step {step++} (time {time})");
            }
        }
        finally
        {
            Dispose(device);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public void TheMathModelsLossAndTrainStepsAgreeOnTheDevice(int batch)
    {
        var (cpu, device) = Pair(d => d is null ? new MathOpsModel(seed: 21) : new MathOpsModel(seed: 21, d), 6);
        try
        {
            var rng = new Random(batch);
            var x = RandomData(batch * 4, batch + 90).Select(v => 2 * v).ToArray();
            var labels = Enumerable.Range(0, batch).Select(_ => rng.Next(3)).ToArray();
            var targets = RandomData(batch * 3, batch + 91);
            var feeds = new Dictionary<string, (float[], int[])>
            {
                ["x"] = (x, [batch, 4]), ["labels"] = (labels.Select(l => (float)l).ToArray(), [batch]), ["targets"] = (targets, [batch, 3]),
            };
            var expected = ReferenceInterpreter.Run(cpu, MathOpsModel.Ir.Loss, feeds).Outputs["result"].Data[0];
            AssertClose(expected, device.Loss(x, labels, targets), "device loss");
            AssertClose(expected, cpu.Loss(x, labels, targets), "CPU loss");
            feeds["learning_rate"] = ([0.01f], []);
            for (int step = 0; step < 3; step++)
                TrainStepAgrees(cpu, device, MathOpsModel.Ir.TrainStep, feeds, m => ((MathOpsModel)m).TrainStep(x, labels, targets, 0.01f), $"at step {step} (batch {batch})");
        }
        finally
        {
            Dispose(device);
        }
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(5, 3)]
    [InlineData(4, 17)]
    public void TheRowKernelModelsTrainStepsAgreeOnTheDevice(int n, int m)
    {
        var (cpu, device) = Pair(d => d is null ? new RowKernelModel(seed: 3) : new RowKernelModel(seed: 3, d), 7);
        try
        {
            var x = RandomData(n * m, n + 7 * m).Select(v => 2 * v).ToArray();
            var labels = RandomData(n * m, n + 11 * m).Select(v => (v + 1) / 2).ToArray();
            var feeds = new Dictionary<string, (float[], int[])>
            {
                ["x"] = (x, [n, m]), ["labels"] = (labels, [n, m]), ["learning_rate"] = ([0.1f], []),
            };
            AssertAgree(ReferenceInterpreter.Run(cpu, RowKernelModel.Ir.LayerNorm, feeds).Outputs["result"], cpu.LayerNorm(x, n: n), device.LayerNorm(x, n: n), "layer_norm");
            for (int step = 0; step < 3; step++)
                TrainStepAgrees(cpu, device, RowKernelModel.Ir.TrainStep, feeds, model => ((RowKernelModel)model).TrainStep(x, labels, n: n, learningRate: 0.1f), $"at step {step} ({n}x{m})");
        }
        finally
        {
            Dispose(device);
        }
    }
}
