using GraphCompiler.EndToEnd.Tests.Models;
using GraphCompiler.Runtime;
using GraphCompiler.Runtime.Reference;
using static GraphCompiler.EndToEnd.Tests.Agreement;

namespace GraphCompiler.EndToEnd.Tests;

/// <summary>Dense layers fused into GEMM epilogues (bias, relu) against the reference interpreter, forward and training.</summary>
public class DenseLayerAgreementTests
{

    [Theory]
    [InlineData(1)]
    [InlineData(9)]
    [InlineData(40)]
    public void ForwardAndTrainStepsAgreeWithTheInterpreter(int n)
    {
        var rng = new Random(n + 3);
        float[] Data(int count) => Enumerable.Range(0, count).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        var (x, y) = (Data(n * 6), Data(n * 3));
        var model = new DenseLayerModel(seed: 4);
        var feeds = new Dictionary<string, (float[], int[])> { ["x"] = (x, new[] { n, 6 }), ["y"] = (y, new[] { n, 3 }) };

        var (forward, _) = ReferenceInterpreter.Run(model, DenseLayerModel.Ir.Forward, feeds);
        var generated = model.Forward(x);
        for (int i = 0; i < n * 3; i++) AssertClose(forward["result"].Data[i], generated.Data[i], $"forward[{i}]");

        for (int step = 0; step < 3; step++)
        {
            var trainFeeds = new Dictionary<string, (float[], int[])>(feeds) { ["learning_rate"] = (new[] { 0.2f }, Array.Empty<int>()) };
            var (outputs, updated) = ReferenceInterpreter.Run(model, DenseLayerModel.Ir.TrainStep, trainFeeds, training: true);
            AssertClose(outputs["loss"].Data[0], model.TrainStep(x, y, 0.2f), $"loss at step {step}");
            AssertVariablesAgree(model, updated, $" after step {step}");
        }
    }
}
