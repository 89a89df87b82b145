using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Ops;
using GraphCompiler.Compiler.Passes;

namespace GraphCompiler.Compiler.Tests.Ops.LinearAlgebra;

/// <summary>
/// The gradient of a matrix shared across a batch (x:[batch, n, d] · W:[d, k], a projection's kernel) is one product
/// that contracts the batch too, not a [batch, d, k] temporary summed afterwards; the product's shape rule.
/// </summary>
public class MatMulContractBatchTests
{
    private static Node In(GraphBuilder b, string name, params Dim[] dims) => b.Input(name, DType.Float32, Shape.Of(dims));

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void SharedKernelGradientContractsTheSymbolicBatch(bool ta, bool tb)
    {
        var b = new GraphBuilder("t");
        var x = In(b, "x", Dim.Sym("batch"), ta ? 6 : 4, ta ? 4 : 6);
        var w = tb ? In(b, "w", 3, 6) : In(b, "w", 6, 3);
        var y = b.Apply("matmul", new[] { x, w }, MatMul.Flags(ta, tb));
        var loss = b.Apply("reduce_sum", new[] { b.Mul(y, y) }, Attrs.Of(("axes", new[] { 0, 1, 2 }), ("keepdims", false)));
        var dw = Autodiff.Gradients(b, loss, new[] { w })[0]!;
        Assert.Equal(w.Shape, dw.Shape);
        Assert.Equal("matmul", dw.OpName);
        Assert.True(MatMul.ContractsBatch(dw.Attrs));
        Assert.DoesNotContain(Ancestors(dw), n => n.OpName == "sum_to_like");
    }

    private static HashSet<Node> Ancestors(Node n)
    {
        var seen = new HashSet<Node>();
        var stack = new Stack<Node>(new[] { n });
        while (stack.Count > 0)
            foreach (var i in stack.Pop().Inputs)
                if (seen.Add(i)) stack.Push(i);
        return seen;
    }

    [Fact]
    public void ContractingNeedsTheSameBatchAxes()
    {
        var b = new GraphBuilder("t");
        var e = Assert.Throws<ShapeException>(() => b.Apply("matmul", new[] { In(b, "a", 2, 4, 3), In(b, "c", 3, 4, 5) }, MatMul.Flags(true, false).With("contract_batch", true)));
        Assert.Contains("same batch axes", e.Message, StringComparison.Ordinal);
        Assert.Throws<ShapeException>(() => b.Apply("matmul", new[] { In(b, "m", 4, 3), In(b, "n", 4, 5) }, MatMul.Flags(true, false).With("contract_batch", true)));
    }

    [Fact]
    public void ContractedProductHasTheMatrixShape()
    {
        var b = new GraphBuilder("t");
        var c = b.Apply("matmul", new[] { In(b, "a", Dim.Sym("batch"), 2, 7, 3), In(b, "c", Dim.Sym("batch"), 2, 7, 5) }, MatMul.Flags(true, false).With("contract_batch", true));
        Assert.Equal(Shape.Of(3, 5), c.Shape);
    }
}
