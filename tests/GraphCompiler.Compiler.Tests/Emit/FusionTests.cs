using GraphCompiler.Compiler.Backends.Cpu;
using GraphCompiler.Compiler.Emit;
using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Kernels;
using GraphCompiler.Compiler.Passes;
using GraphCompiler.Compiler.Tests.IR;

namespace GraphCompiler.Compiler.Tests.Emit;

public class FusionTests
{
    [Fact]
    public void AnElementwiseChainBecomesOneKernel()
    {
        var b = new GraphBuilder("t");
        var n = Dim.Sym("n");
        var x = b.Input("x", DType.Float32, Shape.Of(n, 4));
        var bias = b.Input("bias", DType.Float32, Shape.Of(4));
        var y = b.Apply("square", new[] { b.Neg(b.Div(b.Add(b.Mul(x, x), bias), b.Constant(3))) });
        b.AddOutput("y", y);
        var kernels = Fusion.Plan(b.Build());
        var k = Assert.Single(kernels);
        Assert.True(k.IsFused);
        Assert.Equal(5, k.Members.Count);
        Assert.Equal(new[] { "x", "bias", "Const" }, k.Inputs.Select(i => i.Name));
        Assert.Equal("K0_mul_add_div_neg_square", k.MethodName);
    }

    [Fact]
    public void AValueNeededOutsideItsKernelBecomesAnExtraOutput()
    {
        var b = new GraphBuilder("t");
        var x = b.Input("x", DType.Float32, Shape.Of(8));
        var d = b.Sub(x, b.Constant(1));
        var sq = b.Apply("square", new[] { d });
        b.AddOutput("sum", b.Apply("reduce_sum", new[] { sq }, Attrs.Of(("axes", new[] { 0 }), ("keepdims", false))));
        b.AddOutput("d", d);
        var k = Assert.Single(Fusion.Plan(b.Build()));
        // d leaves the kernel as an extra output; the square is only summed, so it is never stored.
        Assert.Equal(new[] { "sub", "reduce_sum" }, k.Outputs.Select(o => o.OpName));
    }

    [Fact]
    public void ALastAxisSumJoinsItsPrologueKernel()
    {
        var b = new GraphBuilder("t");
        var n = Dim.Sym("n");
        var x = b.Input("x", DType.Float32, Shape.Of(n, 5));
        var bias = b.Input("bias", DType.Float32, Shape.Of(5));
        var rowSums = b.Apply("reduce_sum", new[] { b.Apply("exp", new[] { b.Add(x, bias) }) }, Attrs.Of(("axes", new[] { 1 }), ("keepdims", false)));
        b.AddOutput("y", rowSums); // with nothing reading the sums in the kernel (no epilogue): a plain tail
        var kernels = Fusion.Plan(b.Build());
        Assert.Single(kernels);
        Assert.Null(kernels[0].RowSpace);
        Assert.Same(kernels[0].Members[^1], kernels[0].Reduction);
        Assert.Equal(Shape.Of(n, 5), kernels[0].Shape);
        Assert.Equal(new[] { "reduce_sum" }, kernels[0].Outputs.Select(o => o.OpName));
        var d = (ElementwiseKernel)LowerKernelsPass.Lower(kernels[0]);
        var text = FusedKernelEmitter.Emit(d, "K", out _, out _, out bool needsInner);
        Assert.True(needsInner);
        Assert.Contains("rowSums += ", text);
        Assert.Contains($"{d.Names.Parameters[rowSums]}[r] = rowSum + Vector.Sum(rowSums);", text);
    }

    [Fact]
    public void ASumWhoseInputIsReadElsewhereStoresBothAndASumOverAnotherAxisStaysApart()
    {
        var b = new GraphBuilder("t");
        var x = b.Input("x", DType.Float32, Shape.Of(4, 3));
        var e = b.Apply("exp", new[] { x });
        b.AddOutput("sum", b.Apply("reduce_sum", new[] { e }, Attrs.Of(("axes", new[] { 1 }), ("keepdims", false))));
        b.AddOutput("e", e);
        b.AddOutput("columns", b.Apply("reduce_sum", new[] { b.Apply("square", new[] { x }) }, Attrs.Of(("axes", new[] { 0 }), ("keepdims", false))));
        var kernels = Fusion.Plan(b.Build());
        var rows = Assert.Single(kernels, k => k.Reduction is not null);
        Assert.Equal(new[] { "exp", "reduce_sum" }, rows.Outputs.Select(o => o.OpName));
        var d = (ElementwiseKernel)LowerKernelsPass.Lower(rows);
        var text = FusedKernelEmitter.Emit(d, "K", out _, out _, out _);
        Assert.Contains($"CopyTo({d.Names.Parameters[e]}.Slice(row + jj))", text); // exp stored per element as well
        Assert.Single(kernels, k => k.Reduction is null && k.Members.Any(m => m.OpName == "reduce_sum")); // the column sum
    }

    [Fact]
    public void AMatmulWithABiasAndAReluBecomesOneDenseLayerKernel()
    {
        var b = new GraphBuilder("t");
        var n = Dim.Sym("n");
        var x = b.Input("x", DType.Float32, Shape.Of(n, 4));
        var w = b.Input("w", DType.Float32, Shape.Of(4, 3));
        var bias = b.Input("bias", DType.Float32, Shape.Of(3));
        var y = b.Apply("relu", new[] { b.Add(b.Apply("matmul", new[] { x, w }, GraphCompiler.Compiler.Ops.MatMul.Flags(false, false)), bias) });
        b.AddOutput("y", b.Mul(y, y));
        var kernels = Fusion.Plan(b.Build());
        var dense = Assert.Single(kernels, k => k.IsDenseLayer);
        Assert.Equal(new[] { "matmul", "add", "relu" }, dense.Members.Select(m => m.OpName));
        Assert.Equal(new[] { "relu" }, dense.Outputs.Select(o => o.OpName));
    }

    [Fact]
    public void AMatmulReadElsewhereOrAddedToAFullTensorKeepsItsOwnKernel()
    {
        var b = new GraphBuilder("t");
        var x = b.Input("x", DType.Float32, Shape.Of(5, 4));
        var w = b.Input("w", DType.Float32, Shape.Of(4, 3));
        var full = b.Input("full", DType.Float32, Shape.Of(5, 3));
        var bias = b.Input("bias", DType.Float32, Shape.Of(3));
        var read = b.Apply("matmul", new[] { x, w }, GraphCompiler.Compiler.Ops.MatMul.Flags(false, false));
        b.AddOutput("a", b.Add(read, bias));
        b.AddOutput("read", read);
        b.AddOutput("b", b.Add(b.Apply("matmul", new[] { x, w }, GraphCompiler.Compiler.Ops.MatMul.Flags(false, false)), full));
        Assert.DoesNotContain(Fusion.Plan(b.Build()), k => k.IsDenseLayer);
    }

    [Fact]
    public void KernelsRunAfterTheKernelsTheyReadFrom()
    {
        var train = PassPipeline.Run(GraphTextTests.LinearRegressionTrainStep(out _));
        var kernels = Fusion.Plan(train);
        var producedBy = new Dictionary<Node, int>();
        foreach (var k in kernels)
        {
            foreach (var input in k.Inputs)
                if (input.Op.Class != GraphCompiler.Compiler.Ops.OpClass.Source)
                    Assert.True(producedBy.ContainsKey(input), $"{k.MethodName} reads {input.Name} before it is computed");
            foreach (var m in k.Members) producedBy[m] = k.Index;
        }
        // Updates run last and in place.
        Assert.All(kernels.Where(k => k.Deferred), k => Assert.True(k.Index >= kernels.Count - train.Effects.Count));
        Assert.True(kernels.Count < train.Nodes.Count(n => n.Op.Class != GraphCompiler.Compiler.Ops.OpClass.Source));
    }

    [Fact]
    public void EmittedModelReportsItsStatistics()
    {
        GraphTextTests.LinearRegressionTrainStep(out var model);
        var result = ModelEmitter.Emit(model);
        Assert.Empty(result.Diagnostics);
        Assert.Equal(2, result.Stats.Parameters);
        Assert.True(result.Stats.KernelsAfterFusion < result.Stats.KernelsBeforeFusion);
        Assert.Contains("public float TrainStep(ReadOnlySpan<float> x, ReadOnlySpan<float> y, float learningRate)", result.Source);
        Assert.Contains("private static void Loss_MulAddSub(", result.Source);
        Assert.Contains("private static void TrainStep_MulAddSub(", result.Source);
        // In place: the gradient kernel overwrites the residual it reads last (same buffer in and out).
        Assert.Matches(@"TrainStep_\w+\(dim_n, arenaF32\.AsSpan\(st\.(\w+), dim_n\), x, arenaF32\.AsSpan\(st\.\1, dim_n\)", result.Source);
    }
}

public class VectorFormTests
{
    [Fact]
    public void ExpAndLogKernelsUseTheVectorForms()
    {
        var b = new GraphBuilder("t");
        var n = Dim.Sym("n");
        var x = b.Input("x", DType.Float32, Shape.Of(n));
        b.AddOutput("y", b.Apply("log", new[] { b.Add(b.Apply("exp", new[] { x }), b.Constant(1)) }));
        var kernel = Assert.Single(Fusion.Plan(b.Build()));
        var text = FusedKernelEmitter.Emit((ElementwiseKernel)LowerKernelsPass.Lower(kernel), "K", out _, out _, out _);
        Assert.Contains("Vector.Exp(", text);
        Assert.Contains("Vector.Log(", text);
        Assert.Contains("MathF.Exp(", text); // the scalar tail
    }
}
