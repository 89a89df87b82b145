using GraphCompiler.EndToEnd.Tests.Models;
using GraphCompiler.Runtime;
using GraphCompiler.Runtime.Reference;
using static GraphCompiler.EndToEnd.Tests.Agreement;

namespace GraphCompiler.EndToEnd.Tests;

/// <summary>Derived dimensions (<c>Vocab + 1</c>, <c>Dim * 2</c>, <c>Dim - 1</c>) bound at construction, against the interpreter.</summary>
public class DerivedDimTests
{
    [Theory]
    [InlineData(1, 2)]
    [InlineData(7, 3)]
    [InlineData(20, 9)]
    public void DerivedShapesBindAtConstructionAndTrainAsTheInterpreterDoes(int vocab, int dim)
    {
        var model = new DerivedDimModel(vocab: vocab, dim: dim, seed: 4);
        var variables = ((IModel)model).AllVariables;
        Assert.Equal(new[] { vocab + 1, dim }, variables["embed"].Shape.ToArray());
        Assert.Equal(new[] { dim, dim * 2 }, variables["hidden"].Shape.ToArray());
        Assert.Equal(new[] { dim * 2, dim - 1 }, variables["narrow"].Shape.ToArray());
        // Derived dimensions are not constructor arguments, and not recorded as hyperparameters.
        Assert.Equal(new[] { "Vocab", "Dim" }, ((IModel)model).Hyperparameters.Keys);
        var random = new Random(vocab);
        for (int step = 0; step < 3; step++)
        {
            // Id Vocab is the spare row.
            var ids = Enumerable.Range(0, 5).Select(_ => random.Next(vocab + 1)).ToArray();
            var y = Enumerable.Range(0, 5).Select(_ => (float)random.NextDouble()).ToArray();
            var feeds = new Dictionary<string, (float[], int[])>
            {
                ["ids"] = (ids.Select(i => (float)i).ToArray(), [5]),
                ["y"] = (y, [5]),
                ["learning_rate"] = ([0.3f], []),
            };
            var (outputs, updated) = ReferenceInterpreter.Run(model, DerivedDimModel.Ir.TrainStep, feeds, training: true);
            AssertClose(outputs["loss"].Data[0], model.TrainStep(ids, y, 0.3f), $"loss at step {step}");
            AssertVariablesAgree(model, updated, $" after step {step}");
        }
    }

    [Fact]
    public void ADerivedDimensionBelowOneIsRefusedByTheConstructor()
    {
        var e = Assert.Throws<ArgumentException>(() => new DerivedDimModel(vocab: 4, dim: 1));
        Assert.Equal("the hyperparameters do not fit the model: the derived dimension (Dim - 1) is 0, but a dimension must be positive", e.Message);
    }
}
