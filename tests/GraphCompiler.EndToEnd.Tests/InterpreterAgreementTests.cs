using GraphCompiler.EndToEnd.Tests.Models;
using GraphCompiler.Runtime;
using GraphCompiler.Runtime.Reference;
using static GraphCompiler.EndToEnd.Tests.Agreement;

namespace GraphCompiler.EndToEnd.Tests;

/// <summary>Generated code against the IR reference interpreter, on random inputs.</summary>
public class InterpreterAgreementTests
{
    private static float[] RandomData(Random rng, int n) => Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(17)]
    public void MlpLossAndTrainStepAgree(int batch)
    {
        var rng = new Random(batch);
        var model = new MlpModel(seed: 7);
        var x = RandomData(rng, batch * 6);
        var y = RandomData(rng, batch * 3);
        var feeds = new Dictionary<string, (float[], int[])> { ["x"] = (x, new[] { batch, 6 }), ["y"] = (y, new[] { batch, 3 }) };
        var (outputs, _) = ReferenceInterpreter.Run(model, MlpModel.Ir.Loss, feeds);
        AssertClose(outputs["result"].Data[0], model.Loss(x, y), "loss");

        feeds["learning_rate"] = (new[] { 0.05f }, Array.Empty<int>());
        var (trainOut, updated) = ReferenceInterpreter.Run(model, MlpModel.Ir.TrainStep, feeds);
        AssertClose(trainOut["loss"].Data[0], model.TrainStep(x, y, 0.05f), "train loss");
        AssertVariablesAgree(model, updated);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(9)]
    public void LayoutOpsAgree(int n)
    {
        var rng = new Random(100 + n);
        var model = new ShapesModel(seed: 3);
        var x = RandomData(rng, n * 4);
        var feeds = new Dictionary<string, (float[], int[])> { ["x"] = (x, new[] { n, 4 }) };
        AssertClose(ReferenceInterpreter.Run(model, ShapesModel.Ir.Loss, feeds).Outputs["result"].Data[0], model.Loss(x), "loss");
        var sums = model.ColumnSums(x);
        var reference = ReferenceInterpreter.Run(model, ShapesModel.Ir.ColumnSums, feeds).Outputs["result"];
        Assert.Equal(new[] { 4 }, sums.Shape);
        for (int i = 0; i < 4; i++) AssertClose(reference.Data[i], sums.Data[i], $"column {i}");

        feeds["learning_rate"] = (new[] { 0.1f }, Array.Empty<int>());
        var (_, updated) = ReferenceInterpreter.Run(model, ShapesModel.Ir.TrainStep, feeds);
        model.TrainStep(x, 0.1f);
        AssertVariablesAgree(model, updated);
    }

    [Fact]
    public void TrainingTheMlpReducesItsLoss()
    {
        var rng = new Random(5);
        var model = new MlpModel(seed: 11);
        var x = RandomData(rng, 32 * 6);
        var y = RandomData(rng, 32 * 3);
        float first = model.Loss(x, y);
        for (int i = 0; i < 200; i++) model.TrainStep(x, y, 0.05f);
        Assert.True(model.Loss(x, y) < 0.8f * first, $"loss went from {first} to {model.Loss(x, y)}");
    }

    [Fact]
    public void SameSeedSameInitialValuesDifferentSeedDifferent()
    {
        var a = new MlpModel(seed: 42);
        var b = new MlpModel(seed: 42);
        var c = new MlpModel(seed: 43);
        Assert.Equal(a.Variables.W1.Data, b.Variables.W1.Data);
        Assert.NotEqual(a.Variables.W1.Data, c.Variables.W1.Data);
        Assert.Equal(new[] { 0.1f, 0.1f, 0.1f, 0.1f, 0.1f }, a.Variables.B1.Data);
    }
}
