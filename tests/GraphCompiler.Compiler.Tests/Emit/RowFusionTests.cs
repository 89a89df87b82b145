using GraphCompiler.Compiler.Backends.Cpu;
using GraphCompiler.Compiler.Emit;
using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Kernels;
using GraphCompiler.Compiler.Model;
using GraphCompiler.Compiler.Ops.Composites;
using GraphCompiler.Compiler.Passes;

namespace GraphCompiler.Compiler.Tests.Emit;

/// <summary>Row kernels: reductions over the last axis fused with their prologue and their epilogue.</summary>
public class RowFusionTests
{
    private static Attrs LastAxis(bool keepDims) => Attrs.Of(("axes", new[] { 1 }), ("keepdims", keepDims));

    /// <summary>The train step of logits = x·W + b under the mean sparse softmax cross-entropy, after the passes.</summary>
    internal static Graph SoftmaxCrossEntropyTrainStep(int classes) => PassPipeline.Run(OptimizerPass.BuildTrainStep(SoftmaxCrossEntropyModel(classes).Entries[0], "gradient_descent"));

    internal static ModelDefinition SoftmaxCrossEntropyModel(int classes)
    {
        var vars = new List<VariableInfo>
        {
            new("w", DType.Float32, Shape.Of(6, classes), InitSpec.Constant(0.1), true),
            new("b", DType.Float32, Shape.Of(classes), InitSpec.Constant(0.0), true),
        };
        var g = new GraphBuilder("Loss");
        var n = Dim.Sym("batch");
        var x = g.Input("x", DType.Float32, Shape.Of(n, 6));
        var labels = g.Input("labels", DType.Int32, Shape.Of(n));
        var logits = g.Add(g.Apply("matmul", new[] { x, g.Variable(vars[0]) }, GraphCompiler.Compiler.Ops.MatMul.Flags(false, false)), g.Variable(vars[1]));
        var perExample = MathComposites.SparseSoftmaxCrossEntropyWithLogits(g, labels, logits);
        g.AddOutput("result", MathComposites.Mean(g, perExample, new[] { 0 }, keepDims: false));
        var p = new[] { new ModelParameter("x", DType.Float32, Shape.Of(n, 6)), new ModelParameter("labels", DType.Int32, Shape.Of(n)) };
        return new ModelDefinition("Demo", "Softmax", "public", "gradient_descent", vars, new[] { new EntryPoint("Loss", true, p, g.Build()) });
    }

    [Fact]
    public void SoftmaxIsOneRowKernel()
    {
        var g = new GraphBuilder("t");
        var x = g.Input("x", DType.Float32, Shape.Of(Dim.Sym("n"), 17));
        g.AddOutput("y", MathComposites.Softmax(g, x, -1));
        var k = Assert.Single(Fusion.Plan(g.Build()));
        Assert.Equal(Shape.Of(Dim.Sym("n"), 17), k.RowSpace);
        Assert.Equal(new[] { "div" }, k.Outputs.Select(o => o.OpName));
        var text = RowKernelEmitter.Emit((RowKernel)LowerKernelsPass.Lower(k), "K", out var inputs);
        Assert.Single(inputs);
        Assert.Contains("// Pass 0: reduce_max", text);
        Assert.Contains("// Pass 1: reduce_sum", text);
        Assert.Contains("// Pass 2: store", text);
        Assert.Matches(@"Vector\.Max\(\w+Lanes", text);
        Assert.Contains("Vector.Exp(", text);
    }

    [Fact]
    public void SoftmaxCrossEntropyForwardAndBackwardAreOneRowKernel()
    {
        var train = SoftmaxCrossEntropyTrainStep(10);
        var kernels = Fusion.Plan(train);
        var row = Assert.Single(kernels, k => k.RowSpace is not null);
        var ops = row.Members.Select(m => m.OpName).ToList();
        Assert.Contains("reduce_max", ops);
        Assert.Contains("log", ops);
        Assert.Contains("reshape", ops); // the labels' [batch] → [batch, 1] is a row value, not a copy
        Assert.Contains("sum_to_like", ops); // the gradient's row sums
        // Out: the per-example losses (summed over the batch) and the logits' gradient, nothing else.
        Assert.Equal(new[] { "neg", "add" }, row.Outputs.Select(o => o.OpName));
        // Nothing over [batch, 10] or [batch, 1] is left outside the row kernel but the GEMMs and the bias gradient's column sums.
        var rest = kernels.Where(k => k != row && !k.IsDenseLayer && k.Members.Any(m => m.Shape.Rank == 2 && !m.Shape[0].IsStatic) && k.Members[0].OpName is not ("matmul" or "sum_to_like"));
        Assert.Empty(rest.Select(k => k.MethodName));
        KernelSchedule.AssertScheduledAfterInputs(kernels);
    }

    [Fact]
    public void LogSoftmaxWithoutKeepDimsIsOneRowKernel()
    {
        var g = new GraphBuilder("t");
        var x = g.Input("x", DType.Float32, Shape.Of(Dim.Sym("n"), 3));
        var lse = MathComposites.ReduceLogSumExp(g, x, new[] { 1 }, keepDims: false); // [n]
        g.AddOutput("lse", lse);
        // log_softmax from the [n] log-sum-exp: back to one value per row through a reshape to [n, 1].
        g.AddOutput("y", g.Sub(x, g.Apply("reshape", new[] { lse }, Attrs.Of(("shape", Shape.Of(Dim.Sym("n"), 1))))));
        var k = Assert.Single(Fusion.Plan(g.Build()));
        Assert.NotNull(k.RowSpace);
        Assert.Equal(2, k.Outputs.Count);
    }

    [Fact]
    public void AReductionThatIsAlsoAGraphOutputIsStoredPerRow()
    {
        var g = new GraphBuilder("t");
        var x = g.Input("x", DType.Float32, Shape.Of(Dim.Sym("n"), 129));
        var (mean, variance) = MathComposites.Moments(g, x, new[] { 1 }, keepDims: true);
        g.AddOutput("mean", mean);
        g.AddOutput("variance", variance);
        g.AddOutput("y", g.Div(g.Sub(x, mean), g.Apply("sqrt", new[] { g.Add(variance, g.Constant(1e-5)) })));
        var k = Assert.Single(Fusion.Plan(g.Build()));
        Assert.Equal(3, k.Outputs.Count);
        var d = (RowKernel)LowerKernelsPass.Lower(k);
        var text = RowKernelEmitter.Emit(d, "K", out _);
        Assert.Contains($"{d.Names.Parameters[mean]}[r] = {d.Names.Locals[mean]};", text);
        Assert.Contains($"{d.Names.Parameters[variance]}[r] = {d.Names.Locals[variance]};", text);
        Assert.Matches(@"Vector\.Sum\(\w+Lanes", text);
    }

    [Fact]
    public void AReducedValueThatComesBackThroughAnotherKernelDoesNotCloseACycle()
    {
        // m (a row max) feeds total, a sum over the rows (not a row kernel), which y reads with m:
        // y's kernel runs after total's, so it cannot hold m.
        var g = new GraphBuilder("t");
        var x = g.Input("x", DType.Float32, Shape.Of(Dim.Sym("n"), 4));
        var m = g.Apply("reduce_max", new[] { x }, LastAxis(keepDims: true));
        var total = g.Apply("reduce_sum", new[] { g.Apply("exp", new[] { m }) }, Attrs.Of(("axes", new[] { 0 }), ("keepdims", true)));
        g.AddOutput("y", g.Add(g.Sub(x, m), total));
        var kernels = Fusion.Plan(g.Build());
        Assert.True(kernels.Count >= 3);
        Assert.DoesNotContain(kernels, k => k.Members.Contains(m) && k.Members.Any(n => n.OpName == "add"));
        KernelSchedule.AssertScheduledAfterInputs(kernels);
    }

    [Fact]
    public void ARowValueOfAnotherWidthOrAGeneralBroadcastDoesNotJoin()
    {
        var g = new GraphBuilder("t");
        var n = Dim.Sym("n");
        var x = g.Input("x", DType.Float32, Shape.Of(n, 4));
        var plane = g.Input("plane", DType.Float32, Shape.Of(n, 1, 4));
        var s = g.Apply("reduce_sum", new[] { x }, LastAxis(keepDims: true)); // [n, 1]
        g.AddOutput("y", g.Mul(g.Apply("exp", new[] { s }), plane)); // [n, n, 4]: a general broadcast
        var kernels = Fusion.Plan(g.Build());
        Assert.DoesNotContain(kernels, k => k.RowSpace is not null && k.Members.Any(m => m.OpName == "mul"));
    }

    [Fact]
    public void TheSoftmaxCrossEntropyModelEmits()
    {
        var result = ModelEmitter.Emit(SoftmaxCrossEntropyModel(10));
        Assert.Empty(result.Diagnostics);
        // Named after the composite covering the kernel, not its twenty ops.
        Assert.Contains("private static void TrainStep_SparseSoftmaxCrossEntropyWithLogitsForwardBackward(", result.Source);
        Assert.Contains("// Pass 0: reduce_max", result.Source);
        Assert.Contains("KernelRanges.ForRows(rows, count", result.Source); // the batch is symbolic: large batches split by rows
    }
}
