using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Ops;
using GraphCompiler.Compiler.Passes;
using GraphCompiler.Compiler.Reference;

namespace GraphCompiler.Compiler.Tests.Passes;

/// <summary>
/// The gradient of a weight read at every step of an unrolled recurrence: a slice of it per step
/// (placements of one window, summed once) and a product per step (summed as one stacked product).
/// </summary>
public class GradientSumPassesTests
{
    private static RefTensor Random(int seed, params int[] shape)
    {
        var rng = new System.Random(seed);
        return new RefTensor(DType.Float32, shape, Enumerable.Range(0, (int)RefTensor.Count(shape)).Select(_ => (double)(float)(rng.NextDouble() * 2 - 1)).ToArray());
    }

    /// <summary>loss = Σ over 3 steps of tanh(hₜ · W[2:5]) + tanh(x · W[0:2]): the kernel W [5, 3] read through a per-step window of its last 3 rows.</summary>
    private static (Graph Graph, Dictionary<string, RefTensor> Feeds) Recurrence()
    {
        var b = new GraphBuilder("t");
        var n = Dim.Sym("n");
        var w = b.Input("w", DType.Float32, Shape.Of(5, 3));
        var x = b.Input("x", DType.Float32, Shape.Of(n, 2));
        var h = b.Input("h", DType.Float32, Shape.Of(n, 3));
        Node Sum(Node v) => b.Apply("reduce_sum", new[] { v }, Attrs.Of(("axes", new[] { 0, 1 }), ("keepdims", false)));
        var loss = Sum(b.Apply("tanh", new[] { b.Apply("matmul", new[] { x, StridedSlice.Apply(b, w, new[] { 0, 0 }, new[] { 1, 1 }, Shape.Of(2, 3)) }, MatMul.Flags(false, false)) }));
        for (int t = 0; t < 3; t++)
        {
            h = b.Apply("tanh", new[] { b.Apply("matmul", new[] { h, StridedSlice.Apply(b, w, new[] { 2, 0 }, new[] { 1, 1 }, Shape.Of(3, 3)) }, MatMul.Flags(false, false)) });
            loss = b.Add(loss, Sum(h));
        }
        b.AddOutput("dw", Autodiff.Gradients(b, loss, new[] { w })[0]!);
        var feeds = new Dictionary<string, RefTensor> { ["w"] = Random(1, 5, 3), ["x"] = Random(2, 4, 2), ["h"] = Random(3, 4, 3) };
        return (b.Build(), feeds);
    }

    [Fact]
    public void PlacementsOfOneWindowAreSummedThenJoinedWithTheOtherWindow()
    {
        var (g, feeds) = Recurrence();
        Assert.Equal(4, g.Nodes.Count(n => n.OpName == "strided_slice_grad"));
        var joined = Simplify.EliminateDeadCodePass(JoinPlacedSlices.JoinPlacedSlicesPass(g));
        Assert.DoesNotContain(joined.Nodes, n => n.OpName == "strided_slice_grad");
        Assert.Equal(0, Assert.Single(joined.Nodes, n => n.OpName == "concat").Attrs.GetInt("axis"));
        var none = new Dictionary<string, RefTensor>();
        // The same additions in the same order, less the zeros: equal to the last bit.
        Assert.Equal(Interpreter.Outputs(g, feeds, none)["dw"].Data, Interpreter.Outputs(joined, feeds, none)["dw"].Data);
    }

    [Fact]
    public void PerStepWeightGradientsBecomeOneProductOverTheStackedSteps()
    {
        var (g, feeds) = Recurrence();
        var joined = Simplify.EliminateDeadCodePass(JoinPlacedSlices.JoinPlacedSlicesPass(g));
        var stacked = Simplify.EliminateDeadCodePass(StackSummedProducts.StackSummedProductsPass(joined));
        var product = Assert.Single(stacked.Nodes, n => n.Op is MatMul && MatMul.ContractsBatch(n.Attrs));
        Assert.Equal(3, product.Inputs[0].Shape[0].Size);
        Assert.True(product.Attrs.GetBool("transpose_a", false));
        var none = new Dictionary<string, RefTensor>();
        var expected = Interpreter.Outputs(g, feeds, none)["dw"].Data;
        var actual = Interpreter.Outputs(stacked, feeds, none)["dw"].Data;
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 5);
    }

    [Fact]
    public void ASumWithATermThatIsNoProductIsLeftAlone()
    {
        var b = new GraphBuilder("t");
        var a = b.Input("a", DType.Float32, Shape.Of(4, 3));
        var c = b.Input("c", DType.Float32, Shape.Of(4, 3));
        var p = b.Apply("matmul", new[] { a, c }, MatMul.Flags(true, false));
        b.AddOutput("y", b.Add(p, b.Apply("exp", new[] { b.Apply("matmul", new[] { c, a }, MatMul.Flags(true, false)) })));
        var g = StackSummedProducts.StackSummedProductsPass(b.Build());
        Assert.DoesNotContain(g.Nodes, n => n.Op is MatMul && MatMul.ContractsBatch(n.Attrs));
    }
}
