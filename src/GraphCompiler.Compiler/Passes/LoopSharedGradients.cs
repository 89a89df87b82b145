using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Ops;

namespace GraphCompiler.Compiler.Passes;

/// <summary>
/// The gradient of a weight the loop body reads at every step (a recurrent kernel), taken out of the
/// reverse loop. Per step it is h_{t-1}ᵀ·dgates_t, placed into the kernel's shape; accumulated in the loop
/// that is a small-K GEMM, a placement into zeros of the whole kernel and an add of it, every step. Since
/// the placement and the sum are linear, Σ_t place(A_tᵀ·B_t) = place(Σ_t A_tᵀ·B_t), and with A and B
/// stacked over time the inner sum is one GEMM with K = batch·time (matmul's <c>contract_batch</c>) after
/// the loop, as fast RNN implementations compute it. A_t is usually already stacked (the saved
/// activations); B_t becomes a per-step output of the reverse loop.
/// </summary>
internal static class LoopSharedGradients
{
    /// <summary>
    /// The per-step products whose sum makes <paramref name="gradient"/>, or null when it is not a linear
    /// placement (adds of equal shapes, strided-slice gradients) of plain products Aᵀ·B of per-step matrices.
    /// </summary>
    public static List<Node>? Products(Node gradient, BodyGradient body)
    {
        var products = new List<Node>();
        bool Linear(Node n)
        {
            switch (n.OpName)
            {
                case "matmul" when n.Attrs.GetBool("transpose_a", false) && !n.Attrs.GetBool("transpose_b", false) && !MatMul.ContractsBatch(n.Attrs)
                                   && n.Inputs.All(i => i.Shape.Rank == 2 && body.PortOf(i).Kind != 'k'):
                    if (!products.Contains(n)) products.Add(n);
                    return true;
                case "strided_slice_grad":
                    return Linear(n.Inputs[0]);
                case "add":
                    return n.Inputs.All(i => i.Shape.Equals(n.Shape) && Linear(i));
                default:
                    return false;
            }
        }
        return Linear(gradient) ? products : null;
    }

    /// <summary>
    /// The gradient rebuilt in the outer graph <paramref name="b"/>, each product replaced by the one GEMM
    /// over its operands' stacks (<paramref name="stacked"/>: per-step node → its <c>[batch, time, n]</c> stack).
    /// </summary>
    public static Node Outside(GraphBuilder b, Node gradient, IReadOnlyDictionary<Node, Node> stacked)
    {
        if (gradient.OpName == "matmul")
            return b.Apply("matmul", new[] { stacked[gradient.Inputs[0]], stacked[gradient.Inputs[1]] }, MatMul.Flags(true, false).With("contract_batch", true));
        return GraphRewriter.Clone(b, gradient, gradient.Inputs.Select(i => Outside(b, i, stacked)).ToArray());
    }
}
