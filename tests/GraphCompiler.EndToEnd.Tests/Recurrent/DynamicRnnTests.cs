using GraphCompiler.EndToEnd.Tests.Models;
using GraphCompiler.Runtime.Reference;
using static GraphCompiler.EndToEnd.Tests.Agreement;
using static GraphCompiler.EndToEnd.Tests.Recurrent.RecurrentCellTests;

namespace GraphCompiler.EndToEnd.Tests.Recurrent;

/// <summary>
/// <c>Rnn.DynamicRnn</c> over a symbolic time dim (a generated loop): equal to <c>StaticRnn</c> over the same
/// cell and variables at the same length, zero outputs and a carried state past a sequence's length, its
/// gradients against finite differences, and its generated train step against the interpreter.
/// </summary>
public class DynamicRnnTests
{
    private static readonly int[] Lengths5 = [3, 5];

    [Fact]
    public void DynamicRnnEqualsStaticRnnWithSequenceLengths()
    {
        var model = new DynamicLstmModel(seed: 1);
        Randomize(model, 2);
        var x = RandomData(2 * 5 * 3, 3);
        var dynamic = model.Dynamic(x, Lengths5);
        var unrolled = model.Static(x, Lengths5);
        Assert.Equal(new[] { 2, 5, 5 }, dynamic.Shape);
        Assert.Equal(unrolled.Shape, dynamic.Shape);
        for (int i = 0; i < dynamic.Data.Length; i++) AssertClose(unrolled.Data[i], dynamic.Data[i], $"output {i}");
        var state = model.DynamicFinal(x, Lengths5);
        var unrolledState = model.StaticFinal(x, Lengths5);
        Assert.Equal(new[] { 2, 2, 5 }, state.Shape);
        for (int i = 0; i < state.Data.Length; i++) AssertClose(unrolledState.Data[i], state.Data[i], $"state {i}");
        // Past the first example's length (3) its outputs are zero.
        for (int t = 3; t < 5; t++)
            for (int u = 0; u < 5; u++) Assert.Equal(0f, dynamic.Data[t * 5 + u]);
    }

    [Fact]
    public void DynamicRnnRunsAtAnyLengthFromOneCompiledModel()
    {
        var model = new DynamicLstmModel(seed: 1);
        Randomize(model, 4);
        foreach (var time in new[] { 3, 7, 0, 1 })
        {
            var x = RandomData(2 * time * 3, time);
            int[] lengths = [time, Math.Max(0, time - 1)];
            var feeds = new Dictionary<string, (float[], int[])> { ["x"] = (x, [2, time, 3]), ["lengths"] = (lengths.Select(l => (float)l).ToArray(), [2]) };
            var expected = ReferenceInterpreter.Run(model, DynamicLstmModel.Ir.Dynamic, feeds).Outputs["result"];
            var actual = model.Dynamic(x, lengths);
            Assert.Equal(expected.Shape, actual.Shape);
            for (int i = 0; i < expected.Data.Length; i++) AssertClose(expected.Data[i], actual.Data[i], $"time {time}, element {i}");
        }
    }

    [Fact]
    public void AMultiLayerCellRunsWholeInTheLoopAndEqualsStaticRnn()
    {
        var model = new DynamicMultiCellModel(seed: 1);
        Randomize(model, 6);
        var (x, h0, h1) = (RandomData(3 * 4 * 3, 7), RandomData(3 * 4, 8), RandomData(3 * 5, 9));
        var dynamic = model.Dynamic(x, h0, h1);
        var unrolled = model.Static(x, h0, h1);
        Assert.Equal(new[] { 3, 4, 5 }, dynamic.Shape);
        for (int i = 0; i < dynamic.Data.Length; i++) AssertClose(unrolled.Data[i], dynamic.Data[i], $"element {i}");
    }

    private static Dictionary<string, (float[], int[])> Feeds(int time, int seed) => new()
    {
        ["x"] = (RandomData(2 * time * 3, seed), [2, time, 3]),
        ["lengths"] = ([time - 1, time], [2]),
        ["y"] = (RandomData(2 * time * 5, seed + 1), [2, time, 5]),
    };

    [Fact]
    public void GradientsThroughDynamicRnnMatchFiniteDifferences()
    {
        var model = new DynamicLstmModel(seed: 1);
        Randomize(model, 11);
        LossGradientCheck.AgreesWithFiniteDifferences(model, DynamicLstmModel.Ir.Loss, Feeds(4, 12));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(6)]
    public void TrainStepsAgreeWithTheInterpreter(int time)
    {
        var model = new DynamicLstmModel(seed: 1);
        Randomize(model, 13);
        for (int step = 0; step < 2; step++)
        {
            var feeds = new Dictionary<string, (float[], int[])>(Feeds(time, 14 + step)) { ["learning_rate"] = ([0.1f], []) };
            var (outputs, updated) = ReferenceInterpreter.Run(model, DynamicLstmModel.Ir.TrainStep, feeds, training: true);
            int[] lengths = [time - 1, time];
            float loss = model.TrainStep(feeds["x"].Item1, lengths, feeds["y"].Item1, 0.1f);
            AssertClose(outputs["loss"].Data[0], loss, $"loss at step {step}");
            AssertVariablesAgree(model, updated, $" after step {step} (time {time})");
        }
    }
}
