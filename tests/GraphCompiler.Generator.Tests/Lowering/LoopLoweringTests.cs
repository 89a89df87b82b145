using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Reference;
using GraphCompiler.Generator.Tests.Harness;
using static GraphCompiler.Generator.Tests.Harness.Lowered;
using static GraphCompiler.Generator.Tests.Harness.Expect;

namespace GraphCompiler.Generator.Tests.Lowering;

/// <summary>
/// A for loop over a symbolic dimension lowers to one loop region; the same code over a static
/// dimension unrolls, and both compute the same values.
/// </summary>
public class LoopLoweringTests
{
    // The same model code twice: time symbolic in D, static (5) in S.
    private static string Rnn(string name, string time) => $$"""
        static Tensor {{name}}([Shape("batch", {{time}}, 3)] Tensor x, [Shape("batch", 4)] Tensor h0)
        {
            using var _ = VariableScope("rnn", Reuse.Auto);
            var w = GetVariable("w", [3, 4], Init.RandomNormal());
            var u = GetVariable("u", [4, 4], Init.RandomNormal());
            var b = GetVariable("b", [4], Init.RandomNormal());
            var steps = Unstack(x, 1);
            var outputs = new Tensor[x.Shape[1]];
            var h = h0;
            for (int t = 0; t < x.Shape[1]; t++)
            {
                h = Tanh(MatMul(steps[t], w) + MatMul(h, u) + b);
                outputs[t] = h;
            }
            return Stack(outputs, 1) * ReduceSum(h);
        }
        """;

    private static readonly string Members = Rnn("D", "\"time\"") + "\n" + Rnn("S", "5");

    /// <summary>Float32 values uniform in [-0.5, 0.5).</summary>
    private static RefTensor Uniform(Random rng, int[] shape) =>
        new(Compiler.IR.DType.Float32, shape, Enumerable.Range(0, (int)RefTensor.Count(shape)).Select(_ => (double)(float)(rng.NextDouble() - 0.5)).ToArray());

    /// <summary>The lowered model, which builds without errors (the CPU back end generates its loop regions).</summary>
    private static Compiler.Model.ModelDefinition Lower(string members)
    {
        var run = GeneratorHarness.Run(Expect.InModel(members));
        Assert.Empty(run.Errors);
        return Compiler.Model.ModelDefinition.Parse(run.ModelText);
    }

    [Fact]
    public void AForOverASymbolicDimensionIsOneLoopRegionAndAConstantBoundUnrolls()
    {
        var model = Lower(Members);
        var dynamic = model.Entries.Single(e => e.MethodName == "D").Graph;
        var unrolled = model.Entries.Single(e => e.MethodName == "S").Graph;
        var loop = Assert.Single(dynamic.OfOp("loop"));
        var op = (LoopOp)loop.Op;
        Assert.Equal((1, 1, 3, 1), (op.States, op.Sequences, op.Invariants, op.Outputs));
        Assert.Equal("[batch, time, 4]", dynamic.Result().Inputs[0].Shape.ToString());
        Assert.Single(op.Body.Nodes, n => n.OpName == "tanh");
        Assert.Empty(unrolled.OfOp("loop"));
        Assert.Equal(5, unrolled.OfOp("tanh").Count());
    }

    [Fact]
    public void TheLoopRegionComputesWhatTheUnrolledLoopComputes()
    {
        var model = Lower(Members);
        var dynamic = model.Entries.Single(e => e.MethodName == "D").Graph;
        var unrolled = model.Entries.Single(e => e.MethodName == "S").Graph;
        var rng = new Random(5);
        RefTensor R(params int[] shape) => Uniform(rng, shape);
        var variables = new Dictionary<string, RefTensor> { ["rnn/w"] = R(3, 4), ["rnn/u"] = R(4, 4), ["rnn/b"] = R(4) };
        var feeds = new Dictionary<string, RefTensor> { ["x"] = R(2, 5, 3), ["h0"] = R(2, 4) };
        var a = Interpreter.Outputs(dynamic, feeds, variables)["result"];
        var b = Interpreter.Outputs(unrolled, feeds, variables)["result"];
        Assert.Equal(b.Shape, a.Shape);
        Assert.Equal(b.Data, a.Data);
    }

    [Fact]
    public void TheTrainStepDifferentiatesThroughTheLoopRegion()
    {
        var model = Lower("""
            [Loss]
            static Tensor L([Shape("batch", "time", 3)] Tensor x, [Shape("batch", 4)] Tensor h0, [Shape("batch", "time", 4)] Tensor y)
            {
                var w = GetVariable("w", [3, 4], Init.RandomNormal());
                var u = GetVariable("u", [4, 4], Init.RandomNormal());
                var steps = Unstack(x, 1);
                var outputs = new Tensor[x.Shape[1]];
                var h = h0;
                for (int t = 0; t < x.Shape[1]; t++)
                {
                    h = Tanh(MatMul(steps[t], w) + MatMul(h, u));
                    outputs[t] = h;
                }
                return ReduceSum(Square(Stack(outputs, 1) - y));
            }
            """);
        var train = Compiler.Passes.PassPipeline.Run(Compiler.Passes.OptimizerPass.BuildTrainStep(model.Loss!, model.Optimizer));
        Assert.Single(train.Nodes, n => n.Op is LoopOp { Reverse: true });
        Assert.Single(train.Nodes, n => n.Op is LoopOp { Reverse: false });
        Assert.Equal(2, train.Effects.Count);

        // Gradient descent through the loop lowers the loss, at two time lengths with one graph.
        var rng = new Random(11);
        RefTensor R(params int[] shape) => Uniform(rng, shape);
        var variables = new Dictionary<string, RefTensor> { ["w"] = R(3, 4), ["u"] = R(4, 4) };
        foreach (var time in new[] { 6, 3 })
        {
            var feeds = new Dictionary<string, RefTensor> { ["x"] = R(2, time, 3), ["h0"] = R(2, 4), ["y"] = R(2, time, 4), ["learning_rate"] = RefTensor.Scalar(0.05, Compiler.IR.DType.Float32) };
            var losses = Enumerable.Range(0, 20).Select(_ => Interpreter.Outputs(train, feeds, variables)["loss"].Data[0]).ToList();
            Assert.True(losses[^1] < 0.8 * losses[0], $"time {time}: loss {losses[0]} → {losses[^1]}");
        }
    }

    /// <summary>A model method over x : [batch, time, 4] with h = Σ_t x, then <paramref name="loop"/> (marked), returning h.</summary>
    private static string OverTime(string loop) => InModel($$"""
        static Tensor F([Shape("batch", "time", 4)] Tensor x)
        {
            var steps = Unstack(x, 1);
            var h = ReduceSum(x, [1]);
            int k = 0;
            {{loop}}
            return h;
        }
        """);

    [Fact]
    public void GC0120_SymbolicLoop()
    {
        var d = Diagnostic(OverTime("for (int t = 0; t < x.Shape[1]; t++) { h = Tanh(h + steps[t]); [|k++|]; }"), "GC0120");
        Assert.Contains("'k' changes at every step but holds 0 before the loop", d.GetMessage());
    }

    [Fact]
    public void GC0120_CarriedShapeChanges()
    {
        var d = Diagnostic(OverTime("for (int t = 0; t < x.Shape[1]; t++) { [|h = Concat([h, steps[t]], 1)|]; }"), "GC0120");
        Assert.Contains("'h' enters the loop as f32[batch, 4]", d.GetMessage());
    }

    [Fact]
    public void GC0120_IndexOfAnotherDimension()
    {
        var d = Diagnostic(OverTime("for (int t = 0; t < x.Shape[0]; t++) { h = Tanh(h + [|steps[t]|]); }"), "GC0120");
        Assert.Contains("indexed only by the index of a loop over 'time'", d.GetMessage());
    }

    [Fact]
    public void GC0610_LoopNotGenerated()
    {
        var d = Diagnostic(OverTime("[|for (int t = 0; t < x.Shape[1]; t++) h = Dropout(Tanh(h + steps[t]), 0.5f);|]"), "GC0610");
        Assert.Contains("draws random numbers in its body (dropout", d.GetMessage());
    }

    [Fact]
    public void AShapeErrorInTheBodyPointsAtItsLine()
    {
        var d = Diagnostic(InModel("""
            static Tensor F([Shape("batch", "time", 3)] Tensor x, [Shape("batch", 4)] Tensor h0)
            {
                var u = GetVariable("u", [4, 4], Init.RandomNormal());
                var steps = Unstack(x, 1);
                var h = h0;
                for (int t = 0; t < x.Shape[1]; t++)
                {
                    h = Tanh(h + [|MatMul(steps[t], u)|]);
                }
                return h;
            }
            """), "GC0200");
        Assert.Contains("matmul", d.GetMessage());
    }
}
