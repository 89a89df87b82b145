using GraphCompiler.EndToEnd.Tests.Models;
using GraphCompiler.Runtime;
using GraphCompiler.Runtime.Devices;
using GraphCompiler.Runtime.Reference;
using static GraphCompiler.EndToEnd.Tests.Agreement;

namespace GraphCompiler.EndToEnd.Tests.Devices;

/// <summary>
/// Whole models whose attention runs as the device's fused kernel, on ILGPU's CPU accelerator: multi-head
/// attention with a padding mask and the two-layer mini BERT's encoder (odd sequence 5) against the CPU path,
/// and train steps through an encoder layer — the fused forward and the fused backward (dQ, dK, dV recomputed from
/// the stored row maxima and sums) — against the CPU path and the reference interpreter, loss and every updated variable.
/// </summary>
[Collection(DeviceCollection.Name)]
public class FusedAttentionDeviceTests
{
    private static float[] RandomData(Random rng, int n, double scale = 1) => Enumerable.Range(0, n).Select(_ => (float)((rng.NextDouble() * 2 - 1) * scale)).ToArray();

    private static void AssertSame(NDArray<float> expected, NDArray<float> actual, string what)
    {
        var (e, a) = (expected.Data.ToArray(), actual.Data.ToArray());
        Assert.Equal(e.Length, a.Length);
        for (int i = 0; i < e.Length; i++) AssertClose(e[i], a[i], $"{what}[{i}]");
    }

    private static bool RanFusedAttention(IModel device) =>
        ((IDeviceResident)device).DeviceProgram!.Context.Kernels.Loads.Any(l => l.Kernel.Contains("AttentionKernel", StringComparison.Ordinal));

    [Fact]
    public void Multi_head_attention_and_encoder_train_steps_agree_with_the_cpu_and_the_interpreter()
    {
        var rng = new Random(19);
        var cpu = new AttentionPiecesModel(seed: 3);
        var device = new AttentionPiecesModel(seed: 3, Device.IlgpuCpu());
        try
        {
            const int batch = 2;
            // Key 0 of every example is kept; the others are masked about half the time (masked keys get weight 0).
            var mask = Enumerable.Range(0, batch * 5).Select(i => i % 5 == 0 || rng.NextDouble() < 0.5 ? 1f : 0f).ToArray();
            var (query, value) = (RandomData(rng, batch * 4 * 6, 2), RandomData(rng, batch * 5 * 3, 2));
            AssertSame(cpu.Attend(query, value, mask), device.Attend(query, value, mask), "attention");
            Assert.True(RanFusedAttention(device), "the device path did not launch the fused attention kernel");

            var (x, y) = (RandomData(rng, batch * 4 * 6), RandomData(rng, batch * 4 * 6));
            var rows = new float[] { 1, 1, 0, 1, 1, 0, 1, 1 };
            for (int step = 0; step < 3; step++)
            {
                var feeds = new Dictionary<string, (float[], int[])>
                {
                    ["x"] = (x, new[] { batch, 4, 6 }),
                    ["mask"] = (rows, new[] { batch, 4 }),
                    ["y"] = (y, new[] { batch, 4, 6 }),
                    ["learning_rate"] = (new[] { 0.3f }, Array.Empty<int>()),
                };
                var (outputs, updated) = ReferenceInterpreter.Run(cpu, AttentionPiecesModel.Ir.TrainStep, feeds, training: true);
                float cpuLoss = cpu.TrainStep(x, rows, y, 0.3f), deviceLoss = device.TrainStep(x, rows, y, 0.3f);
                AssertClose(outputs["loss"].Data[0], cpuLoss, $"cpu loss at step {step}");
                AssertClose(outputs["loss"].Data[0], deviceLoss, $"device loss at step {step}");
                AssertVariablesAgree(cpu, updated, $"(cpu) after step {step}");
                DeviceAgreementTests.AssertSameVariables(cpu, device, $"after step {step}");
            }
            var loads = ((IDeviceResident)device).DeviceProgram!.Context.Kernels.Loads.Select(l => l.Kernel).ToList();
            Assert.Contains(loads, k => k.Contains("AttentionKeyGradKernel", StringComparison.Ordinal));
            Assert.Contains(loads, k => k.Contains("AttentionQueryGradKernel", StringComparison.Ordinal));
        }
        finally
        {
            device.DeviceProgram?.Dispose();
        }
    }

    [Fact]
    public void The_mini_bert_encoder_agrees_on_an_odd_sequence_with_padding()
    {
        var rng = new Random(5);
        var cpu = new MiniBertModel(seed: 8);
        var device = new MiniBertModel(seed: 8, Device.IlgpuCpu());
        try
        {
            const int batch = 3, seq = MiniBertModel.Seq;
            var ids = Enumerable.Range(0, batch * seq).Select(_ => rng.Next(MiniBertModel.Vocab)).ToArray();
            var mask = Enumerable.Range(0, batch * seq).Select(i => i % seq < 2 + i / seq ? 1f : 0f).ToArray(); // 2, 3 and 4 real tokens
            AssertSame(cpu.Hidden(ids, mask), device.Hidden(ids, mask), "encoder output");
            Assert.True(RanFusedAttention(device), "the device path did not launch the fused attention kernel");
        }
        finally
        {
            device.DeviceProgram?.Dispose();
        }
    }
}
