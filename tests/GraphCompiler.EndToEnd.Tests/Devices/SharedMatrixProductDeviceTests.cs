using GraphCompiler.EndToEnd.Tests.Models;
using GraphCompiler.Runtime;
using GraphCompiler.Runtime.Devices;
using static GraphCompiler.EndToEnd.Tests.Agreement;

namespace GraphCompiler.EndToEnd.Tests.Devices;

/// <summary>
/// Batches times a shared matrix on ILGPU's CPU accelerator against the CPU path: the forward as one stacked GEMM, the
/// shared matrix's gradient as one GEMM over the contracted batch (xᵀ·dy) or accumulated item by item (other layouts).
/// </summary>
[Collection(DeviceCollection.Name)]
public class SharedMatrixProductDeviceTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void TrainStepsAgree(int batch)
    {
        var rng = new Random(batch);
        float[] Data(int n) => Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        var cpu = new SharedMatrixProductModel(seed: 8);
        var device = new SharedMatrixProductModel(seed: 8, Device.IlgpuCpu());
        try
        {
            var (x, xt, x4) = (Data(batch * 15), Data(batch * 15), Data(batch * 30));
            for (int step = 0; step < 3; step++)
                AssertClose(cpu.TrainStep(x, xt, x4, 0.05f), device.TrainStep(x, xt, x4, 0.05f), $"loss at step {step}");
            DeviceAgreementTests.AssertSameVariables(cpu, device, "after 3 steps");
        }
        finally
        {
            device.DeviceProgram?.Dispose();
        }
    }
}
