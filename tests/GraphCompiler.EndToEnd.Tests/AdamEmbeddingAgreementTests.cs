using GraphCompiler.EndToEnd.Tests.Models;
using GraphCompiler.Runtime;
using GraphCompiler.Runtime.Reference;
using GraphCompiler.Runtime.Training;
using static GraphCompiler.EndToEnd.Tests.Agreement;

namespace GraphCompiler.EndToEnd.Tests;

/// <summary>
/// Adam on an embedding whose lookup repeats ids, generated code against the reference interpreter.
/// The IR's <c>learning_rate</c> input is the step's learning rate after Adam's bias correction
/// (lr·√(1−β₂ᵗ)/(1−β₁ᵗ), computed on the host by <c>TrainStep</c>): an earlier disagreement here (the
/// interpreter moving an element by about 3.16·lr) came from feeding the interpreter the raw rate.
/// </summary>
public class AdamEmbeddingAgreementTests
{
    private static readonly int[] Ids = [0, 19, 7, 7, 7, 3, 7, 0, 0];
    private static readonly float[] Targets = [0.2f, 0.9f, 0.6f, 0.1f, 0.4f, 0.7f];

    private static Dictionary<string, (float[], int[])> Feeds(IModel model, float learningRate) => new()
    {
        ["ids"] = (Ids.Select(i => (float)i).ToArray(), [3, 3]),
        ["y"] = (Targets, [3, 2]),
        ["learning_rate"] = ([StepScalars.AdamStepSize(learningRate, model.GlobalStep, 0.9, 0.999)], []),
    };

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public void AdamOnRepeatedIdsAgreesWithTheInterpreter(int steps)
    {
        var model = new AdamEmbeddingRegressor(seed: 2);
        for (int step = 0; step < steps; step++)
        {
            var (outputs, updated) = ReferenceInterpreter.Run(model, AdamEmbeddingRegressor.Ir.TrainStep, Feeds(model, 0.1f), training: true);
            AssertClose(outputs["loss"].Data[0], model.TrainStep(Ids, Targets, 0.1f), $"loss at step {step}");
            AssertVariablesAgree(model, updated, $" after step {step}");
        }
    }

    [Fact]
    public void TheFirstAdamStepMovesEachTouchedElementByAboutTheLearningRate()
    {
        var model = new AdamEmbeddingRegressor(seed: 2);
        var before = model.Variables.Embedding.Embeddings.Data.ToArray();
        model.TrainStep(Ids, Targets, 0.1f);
        var after = model.Variables.Embedding.Embeddings.Data;
        for (int row = 0; row < 20; row++)
            for (int d = 0; d < 4; d++)
            {
                int i = row * 4 + d;
                double moved = Math.Abs(after[i] - before[i]);
                // m̂/√v̂ = g/|g| on the first step: a touched element moves by lr (less only where g is within ε of 0).
                if (Ids.Contains(row)) Assert.InRange(moved, 0.0, 0.1 + 1e-6);
                else Assert.Equal(0.0, moved);
            }
        Assert.Contains(Enumerable.Range(0, 80), i => Math.Abs(Math.Abs(after[i] - before[i]) - 0.1) < 1e-4);
    }
}
