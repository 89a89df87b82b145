using GraphCompiler.Compiler.IR;
using GraphCompiler.EndToEnd.Tests.Models;
using GraphCompiler.Runtime;
using GraphCompiler.Runtime.Reference;
using static GraphCompiler.EndToEnd.Tests.Agreement;
using static GraphCompiler.EndToEnd.Tests.Recurrent.RecurrentCellTests;

namespace GraphCompiler.EndToEnd.Tests.Recurrent;

/// <summary>
/// <c>Layers.Gru</c> / <c>Layers.Lstm</c> over a symbolic time dim (the loop region, the weight gradients one
/// product after the reverse loop): equal to the unrolled layers, and generated = interpreter at lengths
/// 0, 1 and odd ones from one compiled model, forward and train steps.
/// </summary>
public class DynamicLayerTests
{
    private const int Batch = 2;

    [Fact]
    public void TheLoopedLayersEqualTheUnrolledOnes()
    {
        var model = new DynamicLayerModel(seed: 1);
        Randomize(model, 21);
        var x = RandomData(Batch * 4 * 3, 22);
        var looped = model.Dynamic(x, Batch);
        var unrolled = model.Static(x);
        Assert.Equal(new[] { Batch, 4, 9 }, looped.Shape);
        Assert.Equal(unrolled.Shape, looped.Shape);
        for (int i = 0; i < looped.Data.Length; i++) AssertClose(unrolled.Data[i], looped.Data[i], $"output {i}");
        var last = model.Last(x, Batch);
        for (int b = 0; b < Batch; b++)
            for (int u = 0; u < 9; u++) AssertClose(looped.Data[(b * 4 + 3) * 9 + u], last.Data[b * 9 + u], $"last output {b}, {u}");
    }

    [Fact]
    public void OneCompiledModelAgreesWithTheInterpreterAtAnyLength()
    {
        var model = new DynamicLayerModel(seed: 1);
        Randomize(model, 23);
        foreach (var time in new[] { 3, 0, 1, 7, 3 })
        {
            var x = RandomData(Batch * time * 3, 24 + time);
            var feeds = new Dictionary<string, (float[], int[])> { ["x"] = (x, [Batch, time, 3]) };
            foreach (var (ir, actual) in new[] { (DynamicLayerModel.Ir.Dynamic, model.Dynamic(x, Batch)), (DynamicLayerModel.Ir.Last, model.Last(x, Batch)) })
            {
                var expected = ReferenceInterpreter.Run(model, ir, feeds).Outputs["result"];
                Assert.Equal(expected.Shape, actual.Shape);
                for (int i = 0; i < expected.Data.Length; i++) AssertClose(expected.Data[i], actual.Data[i], $"time {time}, element {i}");
            }
        }
    }

    [Fact]
    public void TrainStepsAgreeWithTheInterpreterAtLengthsZeroOneAndOdd()
    {
        var model = new DynamicLayerModel(seed: 1);
        Randomize(model, 25);
        TrainStepsAgree(model, DynamicLayerModel.Ir.TrainStep, (x, y) => model.TrainStep(x, y, Batch, 0.05f), [5, 0, 1, 5], 3, 9);
    }

    /// <summary>Train steps over inputs [Batch, time, inputs] and targets [Batch, time, targets] at each length, against the interpreter.</summary>
    private static void TrainStepsAgree(IModel model, string ir, Func<float[], float[], float> trainStep, int[] times, int inputs, int targets)
    {
        int step = 0;
        foreach (var time in times)
        {
            var x = RandomData(Batch * time * inputs, 26 + step);
            var y = RandomData(Batch * time * targets, 36 + step);
            var feeds = new Dictionary<string, (float[], int[])> { ["x"] = (x, [Batch, time, inputs]), ["y"] = (y, [Batch, time, targets]), ["learning_rate"] = ([0.05f], []) };
            var (outputs, updated) = ReferenceInterpreter.Run(model, ir, feeds, training: true);
            float loss = trainStep(x, y);
            AssertClose(outputs["loss"].Data[0], loss, $"loss at time {time}");
            AssertVariablesAgree(model, updated, $" after step {step++} (time {time})");
        }
    }

    [Fact]
    public void VariationalMasksOfDynamicRnnAreDrawnOncePerSequenceOutsideTheLoop()
    {
        var graph = GraphText.Parse(DynamicVariationalDropoutModel.Ir.Loss);
        var loop = Assert.Single(graph.Nodes, n => n.Op is LoopOp);
        Assert.DoesNotContain(((LoopOp)loop.Op).Body.Nodes, n => n.OpName == "dropout");
        // One [batch, n] mask each for the input, the state h (not the LSTM's memory c) and the output.
        Assert.Equal(new[] { "[batch, 4]", "[batch, 4]", "[batch, 6]" }, graph.Nodes.Where(n => n.OpName == "dropout").Select(n => n.Shape.ToString()).Order());

        var model = new DynamicVariationalDropoutModel(seed: 7);
        Randomize(model, 27);
        TrainStepsAgree(model, DynamicVariationalDropoutModel.Ir.TrainStep, (x, y) => model.TrainStep(x, y, Batch, 0.05f), [3, 0, 1], 6, 4);
    }
}
