using GraphCompiler.EndToEnd.Tests.Models;
using GraphCompiler.Runtime;
using GraphCompiler.Runtime.Reference;
using static GraphCompiler.EndToEnd.Tests.Agreement;

namespace GraphCompiler.EndToEnd.Tests;

/// <summary>
/// The math family end to end: the lecture's tf.gradients example, and a model using every math op
/// whose generated forward pass and train step (dropout included) agree with the reference interpreter.
/// </summary>
public class MathInterpreterAgreementTests
{
    private static float[] RandomData(Random rng, int n, double scale = 1) =>
        Enumerable.Range(0, n).Select(_ => (float)((rng.NextDouble() * 2 - 1) * scale)).ToArray();

    private static Dictionary<string, (float[], int[])> Feeds(int batch, int seed, out float[] x, out int[] labels, out float[] targets)
    {
        var rng = new Random(seed);
        x = RandomData(rng, batch * 4, 2);
        labels = Enumerable.Range(0, batch).Select(_ => rng.Next(3)).ToArray();
        targets = RandomData(rng, batch * 3);
        return new Dictionary<string, (float[], int[])>
        {
            ["x"] = (x, new[] { batch, 4 }),
            ["labels"] = (labels.Select(l => (float)l).ToArray(), new[] { batch }),
            ["targets"] = (targets, new[] { batch, 3 }),
        };
    }

    [Fact]
    public void TheLectureExampleGivesGradients768And32()
    {
        var model = new LectureGradientsModel();
        var (dx, dy) = model.Lecture(2f);
        Assert.Equal(768f, dx);
        Assert.Equal(32f, dy);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(12)]
    public void MathModelLossAndTrainStepAgree(int batch)
    {
        var model = new MathOpsModel(seed: 21);
        var feeds = Feeds(batch, batch, out var x, out var labels, out var targets);
        var (outputs, _) = ReferenceInterpreter.Run(model, MathOpsModel.Ir.Loss, feeds);
        AssertClose(outputs["result"].Data[0], model.Loss(x, labels, targets), "loss");

        for (int step = 0; step < 3; step++)
        {
            feeds["learning_rate"] = (new[] { 0.01f }, Array.Empty<int>());
            var (trainOut, updated) = ReferenceInterpreter.Run(model, MathOpsModel.Ir.TrainStep, feeds, training: true);
            AssertClose(trainOut["loss"].Data[0], model.TrainStep(x, labels, targets, 0.01f), $"train loss at step {step}");
            AssertVariablesAgree(model, updated, $" after step {step}");
        }
        Assert.Equal(3, model.GlobalStep);
    }

    [Fact]
    public void DropoutChangesTheTrainingLossFromStepToStepButNotInference()
    {
        var model = new MathOpsModel(seed: 4);
        Feeds(8, 3, out var x, out var labels, out var targets);
        float inference = model.Loss(x, labels, targets);
        Assert.Equal(inference, model.Loss(x, labels, targets));
        var snapshot = ((IModel)model).AllVariables.Select(v => (v.Name, v.ToDoubleArray())).ToList();
        float first = model.TrainStep(x, labels, targets, 0f);
        float second = model.TrainStep(x, labels, targets, 0f);
        Assert.NotEqual(first, second);
        Assert.NotEqual(inference, first);
        foreach (var (name, values) in snapshot) Assert.Equal(values, ((IModel)model).AllVariables[name].ToDoubleArray());
    }

    [Theory]
    [InlineData(2)]
    [InlineData(7)]
    public void PredictionsAgreeIncludingIntegerAndBoolOutputs(int batch)
    {
        var model = new MathOpsModel(seed: 9);
        var feeds = Feeds(batch, 50 + batch, out var x, out _, out _);
        var reference = ReferenceInterpreter.Run(model, MathOpsModel.Ir.Predict, new Dictionary<string, (float[], int[])> { ["x"] = feeds["x"] }).Outputs;
        var (probabilities, classes, positive) = model.Predict(x);
        Assert.Equal(new[] { batch, 3 }, probabilities.Shape);
        for (int i = 0; i < probabilities.Data.Length; i++) AssertClose(reference["item1"].Data[i], probabilities.Data[i], $"softmax[{i}]");
        Assert.Equal(reference["item2"].Data.Select(v => (long)v), classes.Data);
        Assert.Equal(reference["item3"].Data.Select(v => v != 0), positive.Data);
        for (int r = 0; r < batch; r++)
            Assert.Equal(1, probabilities.Data.Skip(r * 3).Take(3).Sum(), 5);
    }

    [Fact]
    public void TrainingTheMathModelReducesItsLoss()
    {
        var model = new MathOpsModel(seed: 2);
        Feeds(16, 99, out var x, out var labels, out var targets);
        float first = model.Loss(x, labels, targets);
        for (int i = 0; i < 150; i++) model.TrainStep(x, labels, targets, 0.001f);
        Assert.True(model.Loss(x, labels, targets) < 0.5f * first, $"loss went from {first} to {model.Loss(x, labels, targets)}");
    }
}
