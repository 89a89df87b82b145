using GraphCompiler.EndToEnd.Tests.Models;
using GraphCompiler.Runtime.Reference;
using static GraphCompiler.EndToEnd.Tests.Agreement;

namespace GraphCompiler.EndToEnd.Tests;

/// <summary>
/// Train steps of batched products with a shared matrix (whose gradient contracts the batch inside one product) in
/// generated code against the reference interpreter, with a batch of one and odd batches.
/// </summary>
public class SharedMatrixProductAgreementTests
{
    private static float[] Random(int seed, int count)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    public void TrainStepsAgreeWithTheInterpreter(int batch)
    {
        var model = new SharedMatrixProductModel(seed: 5);
        var (x, xt, x4) = (Random(batch, batch * 15), Random(batch + 10, batch * 15), Random(batch + 20, batch * 30));
        for (int step = 0; step < 3; step++)
        {
            var feeds = new Dictionary<string, (float[], int[])>
            {
                ["x"] = (x, new[] { batch, 3, 5 }), ["xt"] = (xt, new[] { batch, 5, 3 }), ["x4"] = (x4, new[] { batch, 2, 3, 5 }),
                ["learning_rate"] = (new[] { 0.05f }, Array.Empty<int>()),
            };
            var (outputs, updated) = ReferenceInterpreter.Run(model, SharedMatrixProductModel.Ir.TrainStep, feeds, training: true);
            AssertClose(outputs["loss"].Data[0], model.TrainStep(x, xt, x4, 0.05f), $"loss at step {step}");
            AssertVariablesAgree(model, updated, $" after step {step}");
        }
    }
}
