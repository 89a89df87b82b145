using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Ops;

namespace GraphCompiler.Compiler.Passes;

/// <summary>
/// A sum of matrix products Σₜ op(Aₜ)·op(Bₜ) (a recurrent weight's gradient, one term per time step,
/// each of a small inner dimension: the batch) becomes matmul's <c>contract_batch</c> form over the
/// operands stacked along a new leading axis: with Aᵀ·B (a weight gradient) one GEMM over T·batch rows
/// instead of T thin GEMMs, each storing a full-size product, and a T-way sum of them. Only rank-2
/// products of same-shaped operands with the same transposes; the summation order changes (as in any
/// GEMM's K loop).
/// </summary>
public static class StackSummedProducts
{
    public static Graph StackSummedProductsPass(Graph g) => JoinPlacedSlices.RewriteSums(g, Stack);

    private static Node? Stack(GraphBuilder b, Node root, Dictionary<Node, List<Node>> consumers, HashSet<Node> outputs, Dictionary<Node, Node> rewritten)
    {
        var leaves = JoinPlacedSlices.Summands(root, consumers, outputs);
        if (leaves is null || leaves.Any(l => l.Op is not MatMul || MatMul.ContractsBatch(l.Attrs)
            || !l.Shape.Equals(root.Shape) || l.DType != root.DType || l.Inputs.Any(i => i.Shape.Rank != 2))) return null;
        bool ta = leaves[0].Attrs.GetBool("transpose_a", false), tb = leaves[0].Attrs.GetBool("transpose_b", false);
        if (leaves.Any(l => l.Attrs.GetBool("transpose_a", false) != ta || l.Attrs.GetBool("transpose_b", false) != tb)) return null;
        if (leaves.Any(l => !l.Inputs[0].Shape.Equals(leaves[0].Inputs[0].Shape) || !l.Inputs[1].Shape.Equals(leaves[0].Inputs[1].Shape))) return null;
        var a = Ops.Composites.Shapes.Stack(b, leaves.Select(l => rewritten[l.Inputs[0]]).ToArray(), 0);
        var bb = Ops.Composites.Shapes.Stack(b, leaves.Select(l => rewritten[l.Inputs[1]]).ToArray(), 0);
        return b.Apply("matmul", new[] { a, bb }, Attrs.Of(("transpose_a", ta), ("transpose_b", tb), ("contract_batch", true)));
    }
}
