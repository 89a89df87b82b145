using GraphCompiler.EndToEnd.Tests.Models;
using GraphCompiler.Runtime.Reference;
using static GraphCompiler.EndToEnd.Tests.Agreement;

namespace GraphCompiler.EndToEnd.Tests;

/// <summary>
/// Column windows read in place by fused kernels and gradients stored into their columns
/// (<see cref="GateWindowModel"/>) against the reference interpreter: forward values and Adam train
/// steps at batch sizes with vector tails (1, 5, 13) and one large enough to split the kernels across cores.
/// </summary>
public class GateWindowAgreementTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(13)]
    [InlineData(10_001)] // 70,007 gate elements: the window kernels are split across cores
    public void ForwardAndTrainStepsAgreeWithTheInterpreter(int n)
    {
        var rng = new Random(n);
        var x = Enumerable.Range(0, n * 6).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        var y = Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        var model = new GateWindowModel(seed: 3);
        var feeds = new Dictionary<string, (float[], int[])> { ["x"] = (x, new[] { n, 6 }) };
        var (forward, _) = ReferenceInterpreter.Run(model, GateWindowModel.Ir.Forward, feeds);
        var generated = model.Forward(x);
        for (int i = 0; i < n; i++) AssertClose(forward["result"].Data[i], generated.Data[i], $"forward[{i}]");

        feeds["y"] = (y, new[] { n });
        feeds["learning_rate"] = (new[] { 0.05f }, Array.Empty<int>());
        for (int step = 0; step < 3; step++)
        {
            var (outputs, updated) = ReferenceInterpreter.Run(model, GateWindowModel.Ir.TrainStep, feeds, training: true);
            AssertClose(outputs["loss"].Data[0], model.TrainStep(x, y, 0.05f), $"loss at step {step}");
            AssertVariablesAgree(model, updated, $" after step {step}");
        }
    }
}
