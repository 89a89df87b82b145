using GraphCompiler.Compiler.IR;
using GraphCompiler.EndToEnd.Tests.Models;
using GraphCompiler.Runtime;
using GraphCompiler.Runtime.Reference;
using static GraphCompiler.EndToEnd.Tests.Agreement;
using static GraphCompiler.EndToEnd.Tests.Recurrent.RecurrentCellTests;

namespace GraphCompiler.EndToEnd.Tests.Loops;

/// <summary>
/// The generated loop over a symbolic time dim against the reference interpreter: forward outputs, final
/// states and train steps (so the reverse loop's gradients), at lengths 0, 1 and odd ones, with one row of
/// batch (steps read in place) and several (steps gathered), and one compiled model run at several lengths.
/// </summary>
public class LoopCodegenTests
{
    private static Dictionary<string, (float[], int[])> Feeds(int batch, int time, int seed) => new()
    {
        ["x"] = (RandomData(batch * time * 3, seed), [batch, time, 3]),
        ["h0"] = (RandomData(batch * 4, seed + 1), [batch, 4]),
        ["y"] = (RandomData(batch * time * 4, seed + 2), [batch, time, 4]),
    };

    private static LoopRecurrenceModel Model()
    {
        var model = new LoopRecurrenceModel(seed: 3);
        Randomize(model, 5);
        return model;
    }

    private static void AssertAgree(RefTensor expected, NDArray<float> actual, string what)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        for (int i = 0; i < expected.Data.Length; i++) AssertClose(expected.Data[i], actual.Data[i], $"{what}[{i}]");
    }

    private static void ForwardAgrees(LoopRecurrenceModel model, int batch, int time)
    {
        var feeds = Feeds(batch, time, 10 * batch + time);
        var (x, h0) = (feeds["x"].Item1, feeds["h0"].Item1);
        AssertAgree(ReferenceInterpreter.Run(model, LoopRecurrenceModel.Ir.Outputs, feeds).Outputs["result"], model.Outputs(x, h0), $"outputs at batch {batch}, time {time}");
        AssertAgree(ReferenceInterpreter.Run(model, LoopRecurrenceModel.Ir.Final, feeds).Outputs["result"], model.Final(x, h0), $"final state at batch {batch}, time {time}");
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(3, 0)]
    [InlineData(1, 1)]
    [InlineData(3, 1)]
    [InlineData(1, 5)]
    [InlineData(2, 7)]
    public void ForwardOutputsAndFinalStatesAgreeWithTheInterpreter(int batch, int time) => ForwardAgrees(Model(), batch, time);

    [Fact]
    public void AtLengthZeroTheOutputsAreEmptyAndTheStateIsTheInitialState()
    {
        var model = Model();
        var feeds = Feeds(2, 0, 1);
        var outputs = model.Outputs(feeds["x"].Item1, feeds["h0"].Item1);
        Assert.Equal(new[] { 2, 0, 4 }, outputs.Shape);
        // Final = 2·c + h with c = tanh(h0) and h = h0 when no step runs.
        var final = model.Final(feeds["x"].Item1, feeds["h0"].Item1);
        var h0 = feeds["h0"].Item1;
        for (int i = 0; i < h0.Length; i++) AssertClose(2 * Math.Tanh(h0[i]) + h0[i], final.Data[i], $"final[{i}]");
    }

    [Fact]
    public void OneCompiledModelRunsAtLengthsThreeAndSevenAndBack()
    {
        var model = Model();
        foreach (var time in new[] { 3, 7, 3, 0, 7 }) ForwardAgrees(model, 2, time);
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(1, 1)]
    [InlineData(2, 3)]
    [InlineData(3, 7)]
    public void TrainStepsAgreeWithTheInterpreter(int batch, int time)
    {
        var model = Model();
        for (int step = 0; step < 2; step++)
        {
            var feeds = new Dictionary<string, (float[], int[])>(Feeds(batch, time, 20 + step)) { ["learning_rate"] = ([0.1f], []) };
            var (outputs, updated) = ReferenceInterpreter.Run(model, LoopRecurrenceModel.Ir.TrainStep, feeds, training: true);
            float loss = model.TrainStep(feeds["x"].Item1, feeds["h0"].Item1, feeds["y"].Item1, 0.1f);
            AssertClose(outputs["loss"].Data[0], loss, $"loss at step {step}");
            AssertVariablesAgree(model, updated, $" after step {step} (batch {batch}, time {time})");
        }
    }

    [Fact]
    public void OneTrainStepRunsAtSeveralLengths()
    {
        var model = Model();
        foreach (var time in new[] { 3, 7, 1 })
        {
            var feeds = new Dictionary<string, (float[], int[])>(Feeds(2, time, time)) { ["learning_rate"] = ([0.1f], []) };
            var (outputs, updated) = ReferenceInterpreter.Run(model, LoopRecurrenceModel.Ir.TrainStep, feeds, training: true);
            AssertClose(outputs["loss"].Data[0], model.TrainStep(feeds["x"].Item1, feeds["h0"].Item1, feeds["y"].Item1, 0.1f), $"loss at time {time}");
            AssertVariablesAgree(model, updated, $" at time {time}");
        }
    }
}
