using GraphCompiler.Compiler.IR;
using GraphCompiler.EndToEnd.Tests.Models;
using GraphCompiler.Runtime;
using GraphCompiler.Runtime.Devices;
using GraphCompiler.Runtime.Reference;
using GraphCompiler.Runtime.Training;
using static GraphCompiler.EndToEnd.Tests.Agreement;
using static GraphCompiler.EndToEnd.Tests.Recurrent.RecurrentCellTests;

namespace GraphCompiler.EndToEnd.Tests.Devices;

/// <summary>
/// Loop regions on the device path (a host loop launching the body's ILGPU kernels per step) on ILGPU's CPU
/// accelerator, against the reference interpreter and the CPU path: forward outputs and final states at
/// lengths 0, 1 and odd ones, with one row (steps read in place) and several (steps gathered), sequence lengths
/// shorter than the time dim, and train steps (the reverse loop's gradients, then plain descent or Adam) at
/// several lengths on one compiled model, the device's variables and slots compared after every step.
/// </summary>
[Collection(DeviceCollection.Name)]
public class LoopDeviceTests
{
    internal static (TModel Cpu, TModel Device) Pair<TModel>(Func<Device?, TModel> create, int seed) where TModel : IModel
    {
        var (cpu, device) = (create(null), create(Device.IlgpuCpu()));
        Randomize(cpu, seed);
        Randomize(device, seed);
        ((IDeviceResident)device).DeviceProgram!.CopyVariablesToDevice();
        return (cpu, device);
    }

    internal static void Dispose(IModel device) => ((IDeviceResident)device).DeviceProgram?.Dispose();

    internal static void AssertAgree(RefTensor expected, NDArray<float> cpu, NDArray<float> device, string what)
    {
        Assert.Equal(expected.Shape, device.Shape);
        Assert.Equal(expected.Shape, cpu.Shape);
        for (int i = 0; i < expected.Data.Length; i++)
        {
            AssertClose(expected.Data[i], device.Data[i], $"device {what}[{i}]");
            AssertClose(expected.Data[i], cpu.Data[i], $"CPU {what}[{i}]");
        }
    }

    /// <summary>One train step on both models against the interpreter's step from the CPU model's variables: losses, then every variable and slot.</summary>
    internal static void TrainStepAgrees(IModel cpu, IModel device, string ir, Dictionary<string, (float[], int[])> feeds, Func<IModel, float> step, string when)
    {
        var (outputs, updated) = ReferenceInterpreter.Run(cpu, ir, feeds, training: true);
        AssertClose(outputs["loss"].Data[0], step(device), $"device loss {when}");
        AssertClose(outputs["loss"].Data[0], step(cpu), $"CPU loss {when}");
        ((IDeviceResident)device).DeviceProgram!.CopyVariablesToHost();
        AssertVariablesAgree(device, updated, " " + when);
        DeviceAgreementTests.AssertSameVariables(cpu, device, when);
    }

    private static Dictionary<string, (float[], int[])> RecurrenceFeeds(int batch, int time, int seed) => new()
    {
        ["x"] = (RandomData(batch * time * 3, seed), [batch, time, 3]),
        ["h0"] = (RandomData(batch * 4, seed + 1), [batch, 4]),
        ["y"] = (RandomData(batch * time * 4, seed + 2), [batch, time, 4]),
    };

    [Theory]
    [InlineData(1, 0)]
    [InlineData(3, 0)]
    [InlineData(1, 1)]
    [InlineData(3, 1)]
    [InlineData(1, 5)]
    [InlineData(2, 7)]
    public void ARecurrenceLoopsForwardOnTheDevice(int batch, int time)
    {
        var (cpu, device) = Pair(d => d is null ? new LoopRecurrenceModel(seed: 3) : new LoopRecurrenceModel(seed: 3, d), 5);
        try
        {
            var feeds = RecurrenceFeeds(batch, time, 10 * batch + time);
            var (x, h0) = (feeds["x"].Item1, feeds["h0"].Item1);
            AssertAgree(ReferenceInterpreter.Run(cpu, LoopRecurrenceModel.Ir.Outputs, feeds).Outputs["result"], cpu.Outputs(x, h0), device.Outputs(x, h0), "outputs");
            AssertAgree(ReferenceInterpreter.Run(cpu, LoopRecurrenceModel.Ir.Final, feeds).Outputs["result"], cpu.Final(x, h0), device.Final(x, h0), "final state");
        }
        finally
        {
            Dispose(device);
        }
    }

    [Fact]
    public void ARecurrenceTrainsAtSeveralLengthsOnOneCompiledModel()
    {
        var (cpu, device) = Pair(d => d is null ? new LoopRecurrenceModel(seed: 3) : new LoopRecurrenceModel(seed: 3, d), 6);
        try
        {
            foreach (var (batch, time) in new[] { (2, 3), (1, 5), (2, 1), (3, 3) })
            {
                var feeds = new Dictionary<string, (float[], int[])>(RecurrenceFeeds(batch, time, batch + time)) { ["learning_rate"] = ([0.1f], []) };
                TrainStepAgrees(cpu, device, LoopRecurrenceModel.Ir.TrainStep, feeds,
                    m => ((LoopRecurrenceModel)m).TrainStep(feeds["x"].Item1, feeds["h0"].Item1, feeds["y"].Item1, 0.1f), $"at batch {batch}, time {time}");
            }
        }
        finally
        {
            Dispose(device);
        }
    }

    private static Dictionary<string, (float[], int[])> GruFeeds(int time, int[] lengths, int seed) => new()
    {
        ["x"] = (RandomData(lengths.Length * time * 3, seed), [lengths.Length, time, 3]),
        ["lengths"] = (lengths.Select(l => (float)l).ToArray(), [lengths.Length]),
        ["y"] = (RandomData(lengths.Length * time * 4, seed + 1), [lengths.Length, time, 4]),
    };

    /// <summary>The interpreter's <c>learning_rate</c> for an Adam step: the bias-corrected step size the generated <c>TrainStep</c> computes.</summary>
    internal static Dictionary<string, (float[], int[])> AdamStep(Dictionary<string, (float[], int[])> feeds, IModel model, float rate) =>
        new(feeds) { ["learning_rate"] = ([StepScalars.AdamStepSize(rate, model.GlobalStep, 0.9, 0.999)], []) };

    [Fact]
    public void AGruWithSequenceLengthsRunsForwardAtAnyLengthOnTheDevice()
    {
        var (cpu, device) = Pair(d => d is null ? new AdamDynamicGruModel(seed: 1) : new AdamDynamicGruModel(seed: 1, d), 7);
        try
        {
            foreach (var (time, lengths) in new[] { (3, new[] { 3, 1, 2 }), (0, new[] { 0, 0 }), (1, new[] { 1 }), (5, new[] { 5, 2 }) })
            {
                var feeds = GruFeeds(time, lengths, time + 20);
                var x = feeds["x"].Item1;
                AssertAgree(ReferenceInterpreter.Run(cpu, AdamDynamicGruModel.Ir.Outputs, feeds).Outputs["result"], cpu.Outputs(x, lengths), device.Outputs(x, lengths), $"outputs at time {time}");
                AssertAgree(ReferenceInterpreter.Run(cpu, AdamDynamicGruModel.Ir.Final, feeds).Outputs["result"], cpu.Final(x, lengths), device.Final(x, lengths), $"final state at time {time}");
            }
        }
        finally
        {
            Dispose(device);
        }
    }

    [Fact]
    public void AGruWithSequenceLengthsTrainsWithAdamOnTheDevice()
    {
        var (cpu, device) = Pair(d => d is null ? new AdamDynamicGruModel(seed: 1) : new AdamDynamicGruModel(seed: 1, d), 8);
        try
        {
            int step = 0;
            foreach (var (time, lengths) in new[] { (5, new[] { 5, 3 }), (5, new[] { 2, 5 }), (3, new[] { 1, 3, 2 }), (1, new[] { 1, 1 }) })
            {
                var feeds = AdamStep(GruFeeds(time, lengths, 30 + step), cpu, 0.05f);
                TrainStepAgrees(cpu, device, AdamDynamicGruModel.Ir.TrainStep, feeds,
                    m => ((AdamDynamicGruModel)m).TrainStep(feeds["x"].Item1, lengths, feeds["y"].Item1, 0.05f), $"at Adam step {step++} (time {time})");
            }
        }
        finally
        {
            Dispose(device);
        }
    }

    [Fact]
    public void AMultiLayerCellTrainsWithAdamOnTheDevice()
    {
        var (cpu, device) = Pair(d => d is null ? new AdamMultiCellModel(seed: 2) : new AdamMultiCellModel(seed: 2, d), 9);
        try
        {
            int step = 0;
            foreach (var (batch, time) in new[] { (3, 4), (3, 4), (1, 3), (2, 1) })
            {
                var feeds = new Dictionary<string, (float[], int[])>
                {
                    ["x"] = (RandomData(batch * time * 2, 40 + step), [batch, time, 2]),
                    ["y"] = (RandomData(batch * 2, 50 + step), [batch, 2]),
                };
                AssertAgree(ReferenceInterpreter.Run(cpu, AdamMultiCellModel.Ir.Predict, feeds).Outputs["result"], cpu.Predict(feeds["x"].Item1, batch), device.Predict(feeds["x"].Item1, batch), $"prediction at batch {batch}, time {time}");
                TrainStepAgrees(cpu, device, AdamMultiCellModel.Ir.TrainStep, AdamStep(feeds, cpu, 0.05f),
                    m => ((AdamMultiCellModel)m).TrainStep(feeds["x"].Item1, feeds["y"].Item1, 0.05f), $"at Adam step {step++} (batch {batch}, time {time})");
            }
        }
        finally
        {
            Dispose(device);
        }
    }

    [Fact]
    public void TheTwoLayerDynamicRnnModelAndTheLstmHaveDevicePaths()
    {
        // The LSTM's fused cell kernels take more buffers than ILGPU's kernel loaders take parameters: they load with their views packed.
        foreach (var device in new IModel[] { new DynamicMultiCellModel(seed: 1, Device.IlgpuCpu()), new DynamicLstmModel(seed: 1, Device.IlgpuCpu()) })
        {
            Assert.NotNull(((IDeviceResident)device).DeviceProgram);
            Dispose(device);
        }
    }
}
