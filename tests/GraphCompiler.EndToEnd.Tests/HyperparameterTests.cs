using GraphCompiler.EndToEnd.Tests.Models;
using GraphCompiler.Runtime;
using GraphCompiler.Runtime.Checkpoints;
using GraphCompiler.Runtime.Reference;
using static GraphCompiler.EndToEnd.Tests.Agreement;

namespace GraphCompiler.EndToEnd.Tests;

/// <summary>
/// Models whose dims are [Hyper] properties: one compiled class trains at any size, exactly as the
/// same model with constant dims does, and agrees with the reference interpreter; the constructor
/// checks its arguments and checkpoints refuse a model built with other hyperparameters.
/// </summary>
public class HyperparameterTests
{
    private static float[] F(int[] ids) => ids.Select(i => (float)i).ToArray();

    [Fact]
    public void AHyperparameterModelTrainsBitForBitAsTheConstantDimModel()
    {
        var hyper = new HyperNegativeSamplingModel(vocab: GroupedNegativeSamplingModel.Classes, dim: GroupedNegativeSamplingModel.Dim, seed: 4);
        var constant = new GroupedNegativeSamplingModel(seed: 4);
        var random = new Random(3);
        for (int step = 0; step < 4; step++)
        {
            int[] Draw(int n) => Enumerable.Range(0, n).Select(_ => random.Next(GroupedNegativeSamplingModel.Classes)).ToArray();
            int[] centers = Draw(12), labels = Draw(12), negatives = Draw(15);
            float a = hyper.TrainStep(centers, labels, negatives, 3, 0.5f);
            float b = constant.TrainStep(centers, labels, negatives, 3, 0.5f);
            Assert.Equal(b, a);
        }
        foreach (var v in ((IModel)constant).AllVariables)
            Assert.Equal(v.ToDoubleArray(), ((IModel)hyper).AllVariables[v.Name].ToDoubleArray());
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(7, 3, 2)]
    [InlineData(33, 17, 9)]
    public void TrainStepsAgreeWithTheInterpreterAtEverySize(int vocab, int dim, int groups)
    {
        var model = new HyperNegativeSamplingModel(vocab: vocab, dim: dim, seed: 2);
        Assert.Equal(new[] { vocab, dim }, ((IModel)model).AllVariables["embed"].Shape.ToArray());
        var random = new Random(vocab);
        for (int step = 0; step < 3; step++)
        {
            int[] Draw(int n) => Enumerable.Range(0, n).Select(_ => random.Next(vocab)).ToArray();
            int[] centers = Draw(groups * 2), labels = Draw(groups * 2), negatives = Draw(groups * 3);
            var feeds = new Dictionary<string, (float[], int[])>
            {
                ["centers"] = (F(centers), new[] { groups, 2 }),
                ["labels"] = (F(labels), new[] { groups, 2 }),
                ["negatives"] = (F(negatives), new[] { groups, 3 }),
                ["learning_rate"] = (new[] { 0.5f }, Array.Empty<int>()),
            };
            var (outputs, updated) = ReferenceInterpreter.Run(model, HyperNegativeSamplingModel.Ir.TrainStep, feeds, training: true);
            float loss = model.TrainStep(centers, labels, negatives, groups, 0.5f);
            AssertClose(outputs["loss"].Data[0], loss, $"loss at step {step}");
            AssertVariablesAgree(model, updated, $" after step {step}");
        }
    }

    [Fact]
    public void ADenseModelWithAValueHyperparameterMatchesItsConstantTwin()
    {
        var hyper = new HyperDenseModel(inputs: 3, units: 2, scale: 1.5f, seed: 9);
        var constant = new ConstantDenseModel(seed: 9);
        float[] x = [0.5f, -1f, 2f, 1f, 0.25f, -0.5f], y = [0.1f, -0.2f, 0.3f, 0.4f];
        for (int step = 0; step < 3; step++)
        {
            var feeds = new Dictionary<string, (float[], int[])>
            {
                ["x"] = (x, new[] { 2, 3 }),
                ["y"] = (y, new[] { 2, 2 }),
                ["learning_rate"] = (new[] { 0.1f }, Array.Empty<int>()),
            };
            var (outputs, updated) = ReferenceInterpreter.Run(hyper, HyperDenseModel.Ir.TrainStep, feeds, training: true);
            float loss = hyper.TrainStep(x, y, 0.1f);
            Assert.Equal(constant.TrainStep(x, y, 0.1f), loss);
            AssertClose(outputs["loss"].Data[0], loss, $"loss at step {step}");
            AssertVariablesAgree(hyper, updated, $" after step {step}");
        }
        Assert.Equal(((IModel)constant).AllVariables["kernel"].ToDoubleArray(), ((IModel)hyper).AllVariables["kernel"].ToDoubleArray());
    }

    [Fact]
    public void TheConstructorRejectsADimensionBelowOneAndANonFiniteValue()
    {
        var dim = Assert.Throws<ArgumentOutOfRangeException>(() => new HyperNegativeSamplingModel(vocab: 10, dim: 0));
        Assert.Equal("dim", dim.ParamName);
        Assert.Contains("the hyperparameter Dim is a dimension and must be positive", dim.Message);
        var scale = Assert.Throws<ArgumentOutOfRangeException>(() => new HyperDenseModel(inputs: 2, units: 2, scale: float.NaN));
        Assert.Contains("the hyperparameter Scale must be a finite number", scale.Message);
    }

    [Fact]
    public void AFeedOfTheWrongWidthIsRefusedAtTheCall()
    {
        var model = new HyperDenseModel(inputs: 3, units: 2, scale: 1f);
        var e = Assert.ThrowsAny<ArgumentException>(() => model.TrainStep(new float[8], new float[4], 0.1f));
        Assert.Contains("x", e.Message);
    }

    [Fact]
    public void CheckpointsRecordTheHyperparametersAndRefuseAModelBuiltWithOthers()
    {
        var dir = Directory.CreateTempSubdirectory("hyper-ckpt");
        try
        {
            var saved = new HyperNegativeSamplingModel(vocab: 10, dim: 5, seed: 1);
            var path = new Saver().Save(saved, Path.Combine(dir.FullName, "m"), 0);
            Assert.Equal("Vocab=10, Dim=5", Saver.ReadMetadata(path)[Saver.HyperparametersKey]);

            var same = new HyperNegativeSamplingModel(vocab: 10, dim: 5, seed: 2);
            new Saver().Restore(same, path);
            Assert.Equal(((IModel)saved).AllVariables["embed"].ToDoubleArray(), ((IModel)same).AllVariables["embed"].ToDoubleArray());

            var wider = new HyperNegativeSamplingModel(vocab: 10, dim: 6, seed: 2);
            var e = Assert.Throws<CheckpointException>(() => new Saver().Restore(wider, path));
            Assert.Equal(CheckpointErrorKind.Mismatch, e.Kind);
            Assert.Contains("hyperparameters Vocab=10, Dim=5; this model has Vocab=10, Dim=6", e.Message);
            Assert.Contains("variable 'embed': shape mismatch, checkpoint [10, 5], model [10, 6]", e.Message);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}

/// <summary>Relations the graph needs between hyperparameters and sizes, checked by the constructor.</summary>
public class HyperparameterConstraintTests
{
    [Fact]
    public void AWidthThatMustMatchAStaticInputIsCheckedByTheConstructor()
    {
        var e = Assert.Throws<ArgumentException>(() => new FixedInputModel(inputs: 3, units: 2));
        Assert.Equal("the hyperparameters do not fit the model: the matmul of [batch, 4] and [Inputs, Units] (inner dimensions) need Inputs == 4, but Inputs is 3", e.Message);
        var model = new FixedInputModel(inputs: 4, units: 3, seed: 1);
        float[] x = [1, 2, 3, 4, -1, 0, 1, 0.5f], y = [0.1f, 0.2f, 0.3f, -0.1f, -0.2f, -0.3f];
        var feeds = new Dictionary<string, (float[], int[])> { ["x"] = (x, [2, 4]), ["y"] = (y, [2, 3]), ["learning_rate"] = ([0.05f], []) };
        var (outputs, updated) = ReferenceInterpreter.Run(model, FixedInputModel.Ir.TrainStep, feeds, training: true);
        AssertClose(outputs["loss"].Data[0], model.TrainStep(x, y, 0.05f), "loss");
        AssertVariablesAgree(model, updated);
    }

    [Fact]
    public void TwoWidthsThatMustAgreeAreCheckedByTheConstructor()
    {
        var e = Assert.Throws<ArgumentException>(() => new RelatedWidthsModel(inputs: 3, hidden: 5));
        Assert.Contains("need Inputs == Hidden, but Inputs is 3 and Hidden is 5", e.Message);
        Assert.Contains("add of [batch, Inputs] and [Hidden]", e.Message);
        var model = new RelatedWidthsModel(inputs: 3, hidden: 3, seed: 2);
        float[] x = [1, 2, 3, -1, 0, 1], y = [0.5f, -0.5f, 0.25f, 0];
        var feeds = new Dictionary<string, (float[], int[])> { ["x"] = (x, [2, 3]), ["y"] = (y, [2, 2]), ["learning_rate"] = ([0.05f], []) };
        var (outputs, updated) = ReferenceInterpreter.Run(model, RelatedWidthsModel.Ir.TrainStep, feeds, training: true);
        AssertClose(outputs["loss"].Data[0], model.TrainStep(x, y, 0.05f), "loss");
        AssertVariablesAgree(model, updated);
    }
}
