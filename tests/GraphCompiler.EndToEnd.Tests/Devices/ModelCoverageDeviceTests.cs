using GraphCompiler.EndToEnd.Tests.Models;
using GraphCompiler.Runtime;
using GraphCompiler.Runtime.Devices;
using static GraphCompiler.EndToEnd.Tests.Agreement;

namespace GraphCompiler.EndToEnd.Tests.Devices;

/// <summary>
/// Test models that had no device test: the optimizer models other than Adam (momentum, Nesterov, AdamW,
/// Adagrad, RMSProp, gradient descent with global-norm clipping), each trained on ILGPU's CPU accelerator
/// against its CPU path, slots included (they are variables too).
/// </summary>
[Collection(DeviceCollection.Name)]
public class ModelCoverageDeviceTests
{
    public static TheoryData<string> Optimizers => new() { "momentum", "nesterov", "adamw", "adagrad", "rmsprop", "clipped" };

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void OptimizerSlotsAgreeOverSteps(string optimizer)
    {
        var (cpu, cpuStep) = Create(optimizer, null);
        var (device, deviceStep) = Create(optimizer, Device.IlgpuCpu());
        try
        {
            float[] target = [0.5f, 1.5f];
            for (int step = 0; step < 4; step++)
                AssertClose(cpuStep(target, 0.1f), deviceStep(target, 0.1f), $"{optimizer} loss at step {step}");
            DeviceAgreementTests.AssertSameVariables(cpu, device, $"after 4 {optimizer} steps");
        }
        finally
        {
            ((IDeviceResident)device).DeviceProgram?.Dispose();
        }
    }

    private static (IModel Model, Func<float[], float, float> TrainStep) Create(string optimizer, Device? device)
    {
        switch (optimizer)
        {
            case "momentum": { var m = device is null ? new MomentumModel(seed: 1) : new MomentumModel(seed: 1, device); return (m, (t, lr) => m.TrainStep(t, lr)); }
            case "nesterov": { var m = device is null ? new NesterovModel(seed: 1) : new NesterovModel(seed: 1, device); return (m, (t, lr) => m.TrainStep(t, lr)); }
            case "adamw": { var m = device is null ? new AdamWModel(seed: 1) : new AdamWModel(seed: 1, device); return (m, (t, lr) => m.TrainStep(t, lr)); }
            case "adagrad": { var m = device is null ? new AdagradModel(seed: 1) : new AdagradModel(seed: 1, device); return (m, (t, lr) => m.TrainStep(t, lr)); }
            case "rmsprop": { var m = device is null ? new RMSPropModel(seed: 1) : new RMSPropModel(seed: 1, device); return (m, (t, lr) => m.TrainStep(t, lr)); }
            default: { var m = device is null ? new ClippedModel(seed: 1) : new ClippedModel(seed: 1, device); return (m, (t, lr) => m.TrainStep(t, lr)); }
        }
    }
}
