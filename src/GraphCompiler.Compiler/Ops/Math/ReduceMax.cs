using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Ops;

/// <summary>
/// y = max x over <c>axes</c> (−∞ for an empty axis; NaN propagates). Gradient (TensorFlow's): dy is
/// shared equally among the positions that attain the maximum, dx = dy · [x = y] / Σ[x = y].
/// </summary>
public sealed class ReduceMax : FoldReduction
{
    public override string Name => "reduce_max";
    protected override double Identity => double.NegativeInfinity;
    protected override string RuntimeName => "ReduceMax";
    public override Kernels.ReductionFold? Fold => Kernels.ReductionFold.Max;
    protected override double Combine(double acc, double x) => Math.Max(acc, x);
    public override IReadOnlyList<Node?> Gradient(GraphBuilder g, Node node, Node dy) => new[] { ShareAmongExtremes(g, node, dy) };

    /// <summary>dy split equally over the positions of x equal to the reduced value (max or min).</summary>
    internal static Node ShareAmongExtremes(GraphBuilder g, Node node, Node dy)
    {
        var x = node.Inputs[0];
        var extreme = g.BroadcastLike(KeepDims(g, node, node), x);
        var hits = Cast.Apply(g, g.Apply("equal", new[] { x, extreme }), x.DType);
        var count = g.Apply("reduce_sum", new[] { hits }, Attrs.Of(("axes", node.Attrs.GetInts("axes")), ("keepdims", true)));
        return g.Mul(g.Div(hits, g.BroadcastLike(count, x)), g.BroadcastLike(KeepDims(g, node, dy), x));
    }
}
