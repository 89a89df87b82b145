using GraphCompiler.Compiler.Emit;
using GraphCompiler.Compiler.IR;
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
        var text = RowKernelEmitter.Emit(k, "K", out var inputs);
        Assert.Single(inputs);
        Assert.Contains("// Pass 0: reduce_max", text);
        Assert.Contains("// Pass 1: reduce_sum", text);
        Assert.Contains("// Pass 2: store", text);
        Assert.Contains("Vector.Max(vacc", text);
        Assert.Contains("Vector.Exp(", text);
    }

    [Fact]
    public void SoftmaxCrossEntropyForwardAndBackwardTakeTwoRowKernels()
    {
        var train = SoftmaxCrossEntropyTrainStep(10);
        var kernels = Fusion.Plan(train);
        var rows = kernels.Where(k => k.RowSpace is not null).ToList();
        Assert.Equal(2, rows.Count);
        var forward = rows[0].Members.Select(m => m.OpName).ToList();
        Assert.Contains("reduce_max", forward);
        Assert.Contains("log", forward);
        Assert.Contains("reshape", forward); // the labels' [batch] → [batch, 1] is a row value, not a copy
        Assert.Contains("sum_to_like", rows[1].Members.Select(m => m.OpName));
        // Nothing over [batch, 10] or [batch, 1] is left outside the two row kernels.
        var rowShaped = kernels.Except(rows).Where(k => !k.IsDenseLayer && k.Members.Any(m => m.Shape.Rank == 2 && !m.Shape[0].IsStatic && m.OpName != "matmul"));
        Assert.Empty(rowShaped.Select(k => k.MethodName));
    }

    [Fact]
    public void TheSoftmaxCrossEntropyModelEmits()
    {
        var result = ModelEmitter.Emit(SoftmaxCrossEntropyModel(10));
        Assert.Empty(result.Diagnostics);
    }
}
