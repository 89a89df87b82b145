using GraphCompiler.EndToEnd.Tests.Models;
using GraphCompiler.Runtime;
using GraphCompiler.Runtime.Reference;
using GraphCompiler.Runtime.Training;
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
        for (int step = 0; step < 3; step++)
        {
            // The train step's learning_rate input is Adam's bias-corrected step size, which the generated
            // method computes on the host from the rate it is given; the interpreter must be fed the same.
            feeds["learning_rate"] = (new[] { StepScalars.AdamStepSize(0.05f, model.GlobalStep, 0.9, 0.999) }, Array.Empty<int>());
            var (outputs, updated) = ReferenceInterpreter.Run(model, GateWindowModel.Ir.TrainStep, feeds, training: true);
            AssertClose(outputs["loss"].Data[0], model.TrainStep(x, y, 0.05f), $"loss at step {step}");
            AssertVariablesAgree(model, updated, $" after step {step}");
        }
    }

    /// <summary>
    /// The generated train step applies Adam's bias correction to the rate it is given before the update:
    /// the first step moves each weight by at most the learning rate, and a weight with a gradient well above
    /// Adam's ε by the rate itself; the uncorrected rate fed to the graph would move it (1−β₁)/√(1−β₂) ≈ 3.16× as far.
    /// </summary>
    [Fact]
    public void TheFirstAdamStepMovesEachWeightByTheLearningRate()
    {
        var rng = new Random(7);
        var x = Enumerable.Range(0, 5 * 6).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        var y = Enumerable.Range(0, 5).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        var model = new GateWindowModel(seed: 3);
        model.Forward(x);
        var before = ((IModel)model).AllVariables["cell/kernel"].ToDoubleArray();
        model.TrainStep(x, y, 0.05f);
        var after = ((IModel)model).AllVariables["cell/kernel"].ToDoubleArray();
        // Adam's ε shrinks the steps of small gradients a little; none is larger than the rate, the largest equals it.
        var moves = before.Zip(after, (b, a) => Math.Abs(a - b)).ToList();
        Assert.All(moves, m => Assert.InRange(m, 0.0, 0.0501));
        Assert.InRange(moves.Max(), 0.0499, 0.0501);
    }
}
