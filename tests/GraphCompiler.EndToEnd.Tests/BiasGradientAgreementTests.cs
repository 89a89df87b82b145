using GraphCompiler.EndToEnd.Tests.Models;
using GraphCompiler.Runtime;
using GraphCompiler.Runtime.Reference;
using static GraphCompiler.EndToEnd.Tests.Agreement;

namespace GraphCompiler.EndToEnd.Tests;

/// <summary>
/// Train steps whose weight and bias gradients share one GEMM (dW = xᵀ·dY with db = Σ_batch dY) against the
/// reference interpreter, over several steps, from one example to batches that split the GEMM across threads.
/// </summary>
public class BiasGradientAgreementTests
{
    private static float[] Data(Random rng, int count) => Enumerable.Range(0, count).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();

    /// <summary>Runs <paramref name="steps"/> train steps of the model and the interpreter side by side.</summary>
    private static void AssertStepsAgree(IModel model, string trainStepIr, Func<float[], float[], float, float> trainStep,
        float[] x, int[] xShape, float[] y, int[] yShape, int steps)
    {
        var feeds = new Dictionary<string, (float[], int[])>
        {
            ["x"] = (x, xShape),
            ["y"] = (y, yShape),
            ["learning_rate"] = (new[] { 0.1f }, Array.Empty<int>()),
        };
        for (int step = 0; step < steps; step++)
        {
            var (outputs, updated) = ReferenceInterpreter.Run(model, trainStepIr, feeds, training: true);
            AssertClose(outputs["loss"].Data[0], trainStep(x, y, 0.1f), $"loss at step {step}");
            AssertVariablesAgree(model, updated);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(301)]
    public void OneLayerTrainStepsAgreeWithTheInterpreter(int n)
    {
        var rng = new Random(n + 11);
        var model = new OneLayerBiasGradientModel(seed: 5);
        AssertStepsAgree(model, OneLayerBiasGradientModel.Ir.TrainStep, (x, y, rate) => model.TrainStep(x, y, rate),
            Data(rng, n * 7), [n, 7], Data(rng, n * 5), [n, 5], steps: 3);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(300)]
    public void TwoLayerTrainStepsAgreeWithTheInterpreter(int n)
    {
        // 300 examples: dW1 = xᵀ·dY1 is 70·67·300 multiply-adds, above the unpacked path's parallel threshold.
        var rng = new Random(n + 17);
        var model = new TwoLayerBiasGradientModel(seed: 6);
        AssertStepsAgree(model, TwoLayerBiasGradientModel.Ir.TrainStep, (x, y, rate) => model.TrainStep(x, y, rate),
            Data(rng, n * 70), [n, 70], Data(rng, n * 5), [n, 5], steps: 3);
    }

    [Fact]
    public void TwoLayerTrainStepsAllocateNothingAfterTheFirstCall()
    {
        var rng = new Random(23);
        const int n = 300;
        var (x, y) = (Data(rng, n * 70), Data(rng, n * 5));
        var model = new TwoLayerBiasGradientModel(seed: 7);
        for (int i = 0; i < 3; i++) model.TrainStep(x, y, 0.01f); // binds the arena, grows the pack buffers
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 5; i++) model.TrainStep(x, y, 0.01f);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
