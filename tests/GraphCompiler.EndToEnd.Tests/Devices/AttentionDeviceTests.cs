using GraphCompiler.EndToEnd.Tests.Models;
using GraphCompiler.Runtime;
using GraphCompiler.Runtime.Devices;
using static GraphCompiler.EndToEnd.Tests.Agreement;

namespace GraphCompiler.EndToEnd.Tests.Devices;

/// <summary>
/// The attention pieces' device path on ILGPU's CPU accelerator against the CPU path: the masked softmax's row
/// kernel reading the padding mask and the causal band from a base per row, multi-head attention, and train
/// steps through a pre-norm encoder layer.
/// </summary>
[Collection(DeviceCollection.Name)]
public class AttentionDeviceTests
{
    private static float[] RandomData(Random rng, int n, double scale = 1) => Enumerable.Range(0, n).Select(_ => (float)((rng.NextDouble() * 2 - 1) * scale)).ToArray();

    private static void AssertSame(NDArray<float> expected, NDArray<float> actual, string what)
    {
        var (e, a) = (expected.Data.ToArray(), actual.Data.ToArray());
        Assert.Equal(e.Length, a.Length);
        for (int i = 0; i < e.Length; i++) AssertClose(e[i], a[i], $"{what}[{i}]");
    }

    [Fact]
    public void MaskedSoftmaxAttentionAndEncoderStepsAgree()
    {
        var rng = new Random(4);
        var cpu = new AttentionPiecesModel(seed: 6);
        var device = new AttentionPiecesModel(seed: 6, Device.IlgpuCpu());
        try
        {
            const int batch = 3;
            var mask = Enumerable.Range(0, batch * 5).Select(i => i % 5 == 0 || rng.NextDouble() < 0.5 ? 1f : 0f).ToArray();
            var logits = RandomData(rng, batch * 2 * 4 * 5, 10);
            AssertSame(cpu.Weights(logits, mask), device.Weights(logits, mask), "masked softmax");
            var square = RandomData(rng, batch * 4 * 4, 10);
            AssertSame(cpu.Causal(square), device.Causal(square), "causal softmax");
            var (query, value) = (RandomData(rng, batch * 4 * 6), RandomData(rng, batch * 5 * 3));
            AssertSame(cpu.Attend(query, value, mask), device.Attend(query, value, mask), "attention");

            var (x, y) = (RandomData(rng, batch * 4 * 6), RandomData(rng, batch * 4 * 6));
            var rows = mask.Where((_, i) => i % 5 < 4).ToArray();
            for (int step = 0; step < 3; step++)
                AssertClose(cpu.TrainStep(x, rows, y, 0.3f), device.TrainStep(x, rows, y, 0.3f), $"loss at step {step}");
            DeviceAgreementTests.AssertSameVariables(cpu, device, "after 3 steps");
        }
        finally
        {
            device.DeviceProgram?.Dispose();
        }
    }
}
