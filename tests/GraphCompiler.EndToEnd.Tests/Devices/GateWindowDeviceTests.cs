using GraphCompiler.EndToEnd.Tests.Models;
using GraphCompiler.Runtime;
using GraphCompiler.Runtime.Devices;
using static GraphCompiler.EndToEnd.Tests.Agreement;

namespace GraphCompiler.EndToEnd.Tests.Devices;

/// <summary>
/// The ILGPU rendering of column windows (loads from a wider operand) and column stores (a concat's
/// pieces written into their columns) on ILGPU's CPU accelerator, against the generated CPU path.
/// </summary>
[Collection(DeviceCollection.Name)]
public class GateWindowDeviceTests
{
    [Fact]
    public void GateWindowsForwardAndTrainingAgreeWithTheCpuPath()
    {
        var rng = new Random(4);
        var cpu = new GateWindowModel(seed: 5);
        var device = new GateWindowModel(seed: 5, Device.IlgpuCpu());
        try
        {
            foreach (var n in new[] { 5, 1 })
            {
                var x = Enumerable.Range(0, n * 6).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
                var y = Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
                var expected = cpu.Forward(x);
                var actual = device.Forward(x);
                for (int i = 0; i < n; i++) AssertClose(expected.Data[i], actual.Data[i], $"forward[{i}] at batch {n}");
                for (int step = 0; step < 2; step++)
                    AssertClose(cpu.TrainStep(x, y, 0.05f), device.TrainStep(x, y, 0.05f), $"loss at step {step}, batch {n}");
                DeviceAgreementTests.AssertSameVariables(cpu, device, $"after batch {n}");
            }
        }
        finally
        {
            device.DeviceProgram?.Dispose();
        }
    }
}
