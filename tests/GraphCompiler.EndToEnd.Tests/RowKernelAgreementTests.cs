using GraphCompiler.EndToEnd.Tests.Models;
using GraphCompiler.Runtime;
using GraphCompiler.Runtime.Reference;
using static GraphCompiler.EndToEnd.Tests.Agreement;

namespace GraphCompiler.EndToEnd.Tests;

/// <summary>
/// Row kernels (reductions fused with their epilogues) against the reference interpreter: odd row
/// widths (1 has no vector part, 129 a vector part and a tail), one row, and enough rows to split
/// the kernel across cores.
/// </summary>
public class RowKernelAgreementTests
{

    private static float[] Random(int seed, int count, double low, double high)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (float)(low + rng.NextDouble() * (high - low))).ToArray();
    }

    private static void AssertAgree(GraphCompiler.Compiler.IR.RefTensor expected, NDArray<float> actual, string what)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        var data = actual.Data.ToArray();
        for (int i = 0; i < data.Length; i++) AssertClose(expected.Data[i], data[i], $"{what}[{i}]");
    }

    public static TheoryData<int, int> Sizes => new()
    {
        { 1, 1 }, { 5, 1 }, { 1, 3 }, { 5, 3 }, { 4, 10 }, { 7, 17 }, { 1, 129 }, { 3, 129 },
        { 600, 129 }, // 77,400 elements: split across cores by whole rows
    };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void SoftmaxLogSoftmaxAndLayerStatisticsAgree(int n, int m)
    {
        var x = Random(n * 1000 + m, n * m, -4, 4);
        var model = new RowKernelModel(seed: 1);
        var feeds = new Dictionary<string, (float[], int[])> { ["x"] = (x, new[] { n, m }) };
        AssertAgree(ReferenceInterpreter.Run(model, RowKernelModel.Ir.Softmax, feeds).Outputs["result"], model.Softmax(x, n: n), "softmax");
        AssertAgree(ReferenceInterpreter.Run(model, RowKernelModel.Ir.LogSoftmax, feeds).Outputs["result"], model.LogSoftmax(x, n: n), "log_softmax");
        AssertAgree(ReferenceInterpreter.Run(model, RowKernelModel.Ir.LayerNorm, feeds).Outputs["result"], model.LayerNorm(x, n: n), "layer_norm");
        AssertAgree(ReferenceInterpreter.Run(model, RowKernelModel.Ir.Variance, feeds).Outputs["result"], model.Variance(x, n: n), "variance");
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void CrossEntropyAndLayerNormTrainStepsAgree(int n, int m)
    {
        var x = Random(n + 7 * m, n * m, -2, 2);
        var labels = Random(n + 11 * m, n * m, 0, 1);
        var model = new RowKernelModel(seed: 3);
        for (int step = 0; step < 3; step++)
        {
            var feeds = new Dictionary<string, (float[], int[])>
            {
                ["x"] = (x, new[] { n, m }), ["labels"] = (labels, new[] { n, m }), ["learning_rate"] = (new[] { 0.1f }, Array.Empty<int>()),
            };
            var (outputs, updated) = ReferenceInterpreter.Run(model, RowKernelModel.Ir.TrainStep, feeds, training: true);
            AssertClose(outputs["loss"].Data[0], model.TrainStep(x, labels, n: n, learningRate: 0.1f), $"loss at step {step}");
            AssertVariablesAgree(model, updated, $" after step {step}");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(7_000)] // 70,000 logits: the row kernel splits across cores
    public void SparseSoftmaxCrossEntropyTrainStepsAgree(int batch)
    {
        var x = Random(batch, batch * 6, -1, 1);
        var labels = Enumerable.Range(0, batch).Select(i => (float)(i * 7 % 10)).ToArray();
        var intLabels = labels.Select(l => (int)l).ToArray();
        var model = new SparseSoftmaxModel(seed: 5);
        for (int step = 0; step < 3; step++)
        {
            var feeds = new Dictionary<string, (float[], int[])>
            {
                ["x"] = (x, new[] { batch, 6 }), ["labels"] = (labels, new[] { batch }), ["learning_rate"] = (new[] { 0.5f }, Array.Empty<int>()),
            };
            var (outputs, updated) = ReferenceInterpreter.Run(model, SparseSoftmaxModel.Ir.TrainStep, feeds, training: true);
            AssertClose(outputs["loss"].Data[0], model.TrainStep(x, intLabels, 0.5f), $"loss at step {step}");
            AssertVariablesAgree(model, updated, $" after step {step}");
        }
    }

    [Fact]
    public void TrainStepsThroughASplitRowKernelAllocateNothing()
    {
        const int batch = 7_000;
        var x = Random(2, batch * 6, -1, 1);
        var labels = Enumerable.Range(0, batch).Select(i => i % 10).ToArray();
        var model = new SparseSoftmaxModel(seed: 2);
        for (int i = 0; i < 3; i++) model.TrainStep(x, labels, 0.01f); // binds the arena and creates the cached lambdas
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 5; i++) model.TrainStep(x, labels, 0.01f);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
