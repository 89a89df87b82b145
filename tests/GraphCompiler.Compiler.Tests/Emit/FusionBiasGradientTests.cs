using GraphCompiler.Compiler.Emit;
using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Model;
using GraphCompiler.Compiler.Passes;

namespace GraphCompiler.Compiler.Tests.Emit;

/// <summary>
/// The bias-gradient pairing of <see cref="Fusion"/>: dW = Xᵀ·dY and db = Σ_batch dY become one GEMM kernel
/// when they read the same dY, not when the shapes say the sum is something else or when joining would make
/// two kernels wait for each other.
/// </summary>
public class FusionBiasGradientTests
{
    private static readonly Attrs ColumnAxis = Attrs.Of(("axes", new[] { 0 }), ("keepdims", false));

    /// <summary>The train step of relu(x·W1 + b1)·W2 + b2 against y, squared error, plain gradient descent.</summary>
    private static Graph TwoLayerTrainStep(out ModelDefinition model)
    {
        var vars = new List<VariableInfo>
        {
            new("w1", DType.Float32, Shape.Of(5, 7), InitSpec.Constant(0.1), true),
            new("b1", DType.Float32, Shape.Of(7), InitSpec.Constant(0), true),
            new("w2", DType.Float32, Shape.Of(7, 3), InitSpec.Constant(0.1), true),
            new("b2", DType.Float32, Shape.Of(3), InitSpec.Constant(0), true),
        };
        var b = new GraphBuilder("Loss");
        var batch = Dim.Sym("batch");
        var x = b.Input("x", DType.Float32, Shape.Of(batch, 5));
        var y = b.Input("y", DType.Float32, Shape.Of(batch, 3));
        var hidden = b.Apply("relu", new[] { b.Add(MatMul(b, x, b.Variable(vars[0]), false), b.Variable(vars[1])) });
        var output = b.Add(MatMul(b, hidden, b.Variable(vars[2]), false), b.Variable(vars[3]));
        var loss = b.Apply("reduce_sum", new[] { b.Apply("square", new[] { b.Sub(output, y) }) }, Attrs.Of(("axes", new[] { 0, 1 }), ("keepdims", false)));
        b.AddOutput("result", loss);
        var p = new[] { new ModelParameter("x", DType.Float32, Shape.Of(batch, 5)), new ModelParameter("y", DType.Float32, Shape.Of(batch, 3)) };
        model = new ModelDefinition("Demo", "TwoLayers", "public", "gradient_descent", vars, new[] { new EntryPoint("Loss", true, p, b.Build()) });
        return PassPipeline.Run(OptimizerPass.BuildTrainStep(model.Entries[0], "gradient_descent"));
    }

    private static Node MatMul(GraphBuilder b, Node x, Node y, bool transposeA, bool transposeB = false) =>
        b.Apply("matmul", new[] { x, y }, GraphCompiler.Compiler.Ops.MatMul.Flags(transposeA, transposeB));

    [Fact]
    public void EachDenseLayersWeightAndBiasGradientsShareOneGemm()
    {
        var train = TwoLayerTrainStep(out var model);
        var kernels = Fusion.Plan(train);

        var pairs = kernels.Where(k => k.IsBiasGradient).ToList();
        Assert.Equal(2, pairs.Count);
        foreach (var pair in pairs)
        {
            Assert.False(pair.IsDenseLayer);
            Assert.False(pair.IsFused);
            Assert.Equal(new[] { "matmul", "sum_to_like" }, pair.Members.Select(m => m.OpName));
            Assert.Equal(pair.Members, pair.Outputs);
            var (mm, sum) = (pair.Members[0], pair.Members[1]);
            Assert.True(mm.Attrs.GetBool("transpose_a", false));
            Assert.Same(sum.Inputs[0], mm.Inputs[1]);
        }
        // The bias gradients are [7] and [3]: one pair per layer.
        Assert.Equal(new[] { 3, 7 }, pairs.Select(p => p.Members[1].Shape[0].Size).OrderBy(s => s));
        Assert.Equal(2, kernels.Count(k => k.IsDenseLayer)); // the forward layers keep their epilogues
        Assert.DoesNotContain(kernels, k => !k.IsBiasGradient && k.Members.Any(m => m.OpName == "sum_to_like" && m.Inputs[0].Shape.Rank == 2 && m.Shape.Rank == 1));
        KernelSchedule.AssertScheduledAfterInputs(kernels);

        var source = ModelEmitter.Emit(model).Source;
        Assert.Contains("CpuOps.MatMulColumnSums<float>(true, false, 7, 3, dim_batch, ", source);
        Assert.Contains("CpuOps.MatMulColumnSums<float>(true, false, 5, 7, dim_batch, x, ", source);
        Assert.Contains("(bias gradient)", source);
    }

    [Fact]
    public void AReduceSumOverAxisZeroPairsToo()
    {
        var b = new GraphBuilder("t");
        var n = Dim.Sym("n");
        var x = b.Input("x", DType.Float32, Shape.Of(n, 4));
        var dy = b.Input("dy", DType.Float32, Shape.Of(n, 6));
        b.AddOutput("dw", MatMul(b, x, dy, true));
        b.AddOutput("db", b.Apply("reduce_sum", new[] { dy }, Attrs.Of(("axes", new[] { 0 }), ("keepdims", true))));
        var pair = Assert.Single(Fusion.Plan(b.Build()), k => k.IsBiasGradient);
        Assert.Equal(new[] { "matmul", "reduce_sum" }, pair.Members.Select(m => m.OpName));
    }

    [Fact]
    public void SumsOverAnotherAxisOrOperandsReadOtherwiseStayApart()
    {
        var b = new GraphBuilder("t");
        var x = b.Input("x", DType.Float32, Shape.Of(5, 4));
        var w = b.Input("w", DType.Float32, Shape.Of(6, 2));
        var dy = b.Input("dy", DType.Float32, Shape.Of(5, 6));
        var square = b.Input("square", DType.Float32, Shape.Of(6, 6));
        var d64 = b.Input("d64", DType.Float64, Shape.Of(5, 6));
        var x64 = b.Input("x64", DType.Float64, Shape.Of(5, 4));
        // Row sums of dy (axis 1) are not the column sums of a [k, n] operand.
        b.AddOutput("rows", b.Apply("reduce_sum", new[] { dy }, Attrs.Of(("axes", new[] { 1 }), ("keepdims", false))));
        b.AddOutput("dw", MatMul(b, x, dy, true));
        // dy as the A operand, and a transposed b (op(b) is squareᵀ, whose column sums are square's row sums).
        var other = b.Input("other", DType.Float32, Shape.Of(5, 6));
        b.AddOutput("otherSums", b.Apply("reduce_sum", new[] { other }, ColumnAxis));
        b.AddOutput("asA", MatMul(b, other, w, false));
        b.AddOutput("squareSums", b.Apply("reduce_sum", new[] { square }, ColumnAxis));
        b.AddOutput("transposed", MatMul(b, b.Input("y", DType.Float32, Shape.Of(3, 6)), square, false, true));
        // Double precision keeps the two plain kernels.
        b.AddOutput("d64Sums", b.Apply("reduce_sum", new[] { d64 }, ColumnAxis));
        b.AddOutput("dw64", MatMul(b, x64, d64, true));

        Assert.DoesNotContain(Fusion.Plan(b.Build()), k => k.IsBiasGradient);
    }

    [Fact]
    public void ASumThatFeedsTheProductsOtherOperandStaysApart()
    {
        // db (through a scalar) shifts the matmul's A operand: one kernel computing both would need its own output.
        var b = new GraphBuilder("t");
        var x = b.Input("x", DType.Float32, Shape.Of(5, 4));
        var dy = b.Input("dy", DType.Float32, Shape.Of(5, 3));
        var db = b.Apply("reduce_sum", new[] { dy }, ColumnAxis);
        var total = b.Apply("reduce_sum", new[] { db }, ColumnAxis);
        b.AddOutput("dw", MatMul(b, b.Add(x, total), dy, true));
        b.AddOutput("db", db);
        var kernels = Fusion.Plan(b.Build());
        Assert.DoesNotContain(kernels, k => k.IsBiasGradient);
        KernelSchedule.AssertScheduledAfterInputs(kernels);
    }

    [Fact]
    public void ASumReachingTheProductOnlyThroughAFusedKernelStaysApart()
    {
        // db → neg joins exp(z) in one elementwise kernel (their sum h is one kernel), and exp(z) reaches the
        // matmul's A operand through a reduction: no node path leads from db to the matmul, but the kernels do.
        var b = new GraphBuilder("t");
        var x = b.Input("x", DType.Float32, Shape.Of(5, 4));
        var z = b.Input("z", DType.Float32, Shape.Of(3));
        var dy = b.Input("dy", DType.Float32, Shape.Of(5, 3));
        var db = b.Apply("reduce_sum", new[] { dy }, ColumnAxis);
        var e = b.Apply("exp", new[] { z });
        b.AddOutput("h", b.Add(b.Neg(db), e));
        var shift = b.Apply("reduce_sum", new[] { e }, ColumnAxis);
        b.AddOutput("dw", MatMul(b, b.Add(x, shift), dy, true));
        var kernels = Fusion.Plan(b.Build());
        Assert.Contains(kernels, k => k.IsFused && k.Members.Any(m => m.OpName == "neg") && k.Members.Any(m => m.OpName == "exp"));
        Assert.DoesNotContain(kernels, k => k.IsBiasGradient);
        KernelSchedule.AssertScheduledAfterInputs(kernels);
    }

    [Fact]
    public void OneSumPairsWithOneProductOnly()
    {
        // Two products read dy as b: the sum is computed once, by the first.
        var b = new GraphBuilder("t");
        var dy = b.Input("dy", DType.Float32, Shape.Of(5, 3));
        b.AddOutput("p1", MatMul(b, b.Input("x1", DType.Float32, Shape.Of(5, 4)), dy, true));
        b.AddOutput("p2", MatMul(b, b.Input("x2", DType.Float32, Shape.Of(5, 2)), dy, true));
        b.AddOutput("db", b.Apply("reduce_sum", new[] { dy }, ColumnAxis));
        var kernels = Fusion.Plan(b.Build());
        Assert.Single(kernels, k => k.IsBiasGradient);
        Assert.Equal(2, kernels.Count(k => k.Members.Any(m => m.OpName == "matmul")));
        KernelSchedule.AssertScheduledAfterInputs(kernels);
    }
}
