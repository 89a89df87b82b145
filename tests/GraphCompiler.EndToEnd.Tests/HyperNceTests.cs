using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Ops;
using GraphCompiler.Compiler.Reference;
using GraphCompiler.EndToEnd.Tests.Models;
using GraphCompiler.Runtime;
using GraphCompiler.Runtime.Reference;
using static GraphCompiler.EndToEnd.Tests.Agreement;

namespace GraphCompiler.EndToEnd.Tests;

/// <summary>NCE with the class count a hyperparameter: the log-uniform sampler takes its range at run time.</summary>
public class HyperNceTests
{
    [Theory]
    [InlineData(4)]
    [InlineData(9)]
    [InlineData(300)]
    public void TrainStepsAgreeWithTheInterpreterForEveryClassCount(int classes)
    {
        var model = new HyperNceModel(classes: classes, seed: 3);
        Assert.Equal(new[] { classes }, ((IModel)model).AllVariables["biases"].Shape.ToArray());
        var random = new Random(classes);
        for (int step = 0; step < 4; step++)
        {
            var centers = Enumerable.Range(0, 6).Select(_ => random.Next(classes)).ToArray();
            var labels = Enumerable.Range(0, 6).Select(_ => random.Next(classes)).ToArray();
            var feeds = new Dictionary<string, (float[], int[])>
            {
                ["centers"] = (centers.Select(i => (float)i).ToArray(), [6]),
                ["labels"] = (labels.Select(i => (float)i).ToArray(), [6, 1]),
                ["learning_rate"] = ([0.2f], []),
            };
            var (outputs, updated) = ReferenceInterpreter.Run(model, HyperNceModel.Ir.TrainStep, feeds, training: true);
            AssertClose(outputs["loss"].Data[0], model.TrainStep(centers, labels, 0.2f), $"loss at step {step}");
            AssertVariablesAgree(model, updated, $" after step {step}");
        }
    }

    [Fact]
    public void TheSampledIdsAreLogUniformOverTheRunTimeRange()
    {
        // One id per draw, from a range named V that only the run binds: P(k) = log((k + 2)/(k + 1)) / log(V + 1).
        const int range = 40, draws = 20000;
        var attrs = CandidateSamplerBase.Of(1, Dim.Sym("V"), seed: 5);
        var sampler = new CandidateSampler();
        var counts = new int[range];
        for (int step = 0; step < draws; step++)
        {
            var run = new RunContext(true, 11, (ulong)step, new Dictionary<string, int> { ["V"] = range });
            counts[(int)sampler.Evaluate([], attrs, [1], run).Data[0]]++;
        }
        for (int k = 0; k < range; k++)
        {
            double p = Math.Log((k + 2.0) / (k + 1.0)) / Math.Log(range + 1.0);
            double sigma = Math.Sqrt(draws * p * (1 - p));
            Assert.True(Math.Abs(counts[k] - draws * p) <= 4.5 * sigma, $"id {k}: {counts[k]} draws, expected {draws * p:F0} ± {sigma:F0}");
        }
        Assert.True(counts[range - 1] > 0, "the last id of the range was never drawn");
        var unbound = Assert.Throws<ArgumentException>(() => sampler.Evaluate([], attrs, [1], new RunContext(true, 11, 0)));
        Assert.Contains("binds no size for its range V", unbound.Message);
    }
}
