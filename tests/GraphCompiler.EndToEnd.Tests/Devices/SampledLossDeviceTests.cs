using GraphCompiler.EndToEnd.Tests.Models;
using GraphCompiler.Runtime;
using GraphCompiler.Runtime.Devices;
using GraphCompiler.Runtime.Reference;
using static GraphCompiler.EndToEnd.Tests.Agreement;

namespace GraphCompiler.EndToEnd.Tests.Devices;

/// <summary>
/// The word-embedding models' device routines on ILGPU's CPU accelerator: NCE with its log-uniform candidate
/// sampler (the same candidates as the CPU path, step after step, over a hyperparameter range too) and sparse
/// Adagrad on the rows a lookup touched, repeated ids included, against the CPU path and the interpreter.
/// </summary>
[Collection(DeviceCollection.Name)]
public class SampledLossDeviceTests
{
    private static readonly int[] Centers = [0, 3, 3, 7, 10, 1];
    private static readonly int[] Labels = [1, 2, 0, 4, 5, 0, 0, 9, 2, 11, 6, 3];
    private static readonly int[] Negatives = [8, 8, 2, 5, 0, 9, 11, 1, 4, 2, 7, 6, 0, 4, 8, 2, 2, 5];

    private static float[] F(int[] ids) => ids.Select(i => (float)i).ToArray();

    [Fact]
    public void NceAndNegativeSamplingAgreeStepAfterStep()
    {
        var cpu = new SampledLossModel(seed: 3);
        var device = new SampledLossModel(seed: 3, Device.IlgpuCpu());
        try
        {
            var nce = device.Nce(Centers, Labels).Data.ToArray();
            var expected = cpu.Nce(Centers, Labels).Data.ToArray();
            for (int i = 0; i < expected.Length; i++) AssertClose(expected[i], nce[i], $"nce[{i}]");
            var feeds = new Dictionary<string, (float[], int[])>
            {
                ["centers"] = (F(Centers), [6]), ["labels"] = (F(Labels), [6, 2]), ["negatives"] = (F(Negatives), [6, 3]), ["learning_rate"] = ([0.5f], []),
            };
            for (int step = 0; step < 3; step++)
            {
                // The draw is keyed by the step: each step samples anew, on both paths alike.
                var (outputs, updated) = ReferenceInterpreter.Run(cpu, SampledLossModel.Ir.TrainStep, feeds, training: true);
                AssertClose(outputs["loss"].Data[0], device.TrainStep(Centers, Labels, Negatives, 0.5f), $"device loss at step {step}");
                AssertClose(outputs["loss"].Data[0], cpu.TrainStep(Centers, Labels, Negatives, 0.5f), $"CPU loss at step {step}");
                device.DeviceProgram!.CopyVariablesToHost();
                AssertVariablesAgree(device, updated, $" after step {step}");
            }
            DeviceAgreementTests.AssertSameVariables(cpu, device, "after 3 steps");
        }
        finally
        {
            device.DeviceProgram?.Dispose();
        }
    }

    [Fact]
    public void AHyperparameterSamplerRangeIsReadFromTheModel()
    {
        var cpu = new HyperNceModel(classes: 9, seed: 3);
        var device = new HyperNceModel(classes: 9, seed: 3, Device.IlgpuCpu());
        try
        {
            int[] centers = [0, 8, 4], labels = [1, 8, 0];
            for (int step = 0; step < 3; step++)
                AssertClose(cpu.TrainStep(centers, labels, 0.5f), device.TrainStep(centers, labels, 0.5f), $"loss at step {step}");
            DeviceAgreementTests.AssertSameVariables(cpu, device, "after 3 steps");
        }
        finally
        {
            device.DeviceProgram?.Dispose();
        }
    }

    [Fact]
    public void SparseAdagradUpdatesTheTouchedRowsOnceWithRepeatedIds()
    {
        var cpu = new SparseAdagradModel(seed: 2);
        var device = new SparseAdagradModel(seed: 2, Device.IlgpuCpu());
        try
        {
            // Row 3 three times and row 0 twice in the rows; row 6 is never touched.
            int[] rows = [3, 0, 3, 5, 3, 0, 1], columns = [2, 2, 4, 0, 1, 5, 3];
            float[] target = [0.5f, -1f, 2f, 0.25f, 1f, -0.5f, 0f];
            var feeds = new Dictionary<string, (float[], int[])> { ["rows"] = (F(rows), [7]), ["columns"] = (F(columns), [7]), ["target"] = (target, [7]), ["learning_rate"] = ([0.3f], []) };
            var before = ((IModel)device).AllVariables["word"].ToDoubleArray();
            for (int step = 0; step < 3; step++)
            {
                var (outputs, updated) = ReferenceInterpreter.Run(cpu, SparseAdagradModel.Ir.TrainStep, feeds, training: true);
                AssertClose(outputs["loss"].Data[0], device.TrainStep(rows, columns, target, 0.3f), $"device loss at step {step}");
                AssertClose(outputs["loss"].Data[0], cpu.TrainStep(rows, columns, target, 0.3f), $"CPU loss at step {step}");
                device.DeviceProgram!.CopyVariablesToHost();
                AssertVariablesAgree(device, updated, $" after step {step}");
            }
            DeviceAgreementTests.AssertSameVariables(cpu, device, "after 3 steps");
            var after = ((IModel)device).AllVariables["word"].ToDoubleArray();
            for (int d = 0; d < SparseAdagradModel.Dim; d++) Assert.Equal(before[6 * SparseAdagradModel.Dim + d], after[6 * SparseAdagradModel.Dim + d]);
        }
        finally
        {
            device.DeviceProgram?.Dispose();
        }
    }
}
