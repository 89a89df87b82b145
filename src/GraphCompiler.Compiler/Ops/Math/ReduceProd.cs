using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Ops;

/// <summary>
/// y = Π x over <c>axes</c> (1 for an empty axis). Gradient: dxᵢ = dy · Π_{j≠i} xⱼ, computed without
/// dividing by zero: with p = the product of the non-zero elements of the group and z = its number
/// of zeros, dxᵢ = dy·p/xᵢ when z = 0; dy·p at the zero and 0 elsewhere when z = 1; 0 when z ≥ 2.
/// </summary>
public sealed class ReduceProd : FoldReduction
{
    public override string Name => "reduce_prod";
    protected override double Identity => 1;
    protected override string RuntimeName => "ReduceProd";
    public override Kernels.ReductionFold? Fold => Kernels.ReductionFold.Product;
    protected override double Combine(double acc, double x) => acc * x;

    public override IReadOnlyList<Node?> Gradient(GraphBuilder g, Node node, Node dy)
    {
        var x = node.Inputs[0];
        var t = x.DType;
        var keep = Attrs.Of(("axes", node.Attrs.GetInts("axes")), ("keepdims", true));
        Node Full(Node kept) => g.BroadcastLike(kept, x);
        var isZero = g.Apply("equal", new[] { x, MathOpSupport.Zero(g, t) });
        var safe = MathOpSupport.Where(g, isZero, g.Scalar(1, t), x);
        var nonZeroProduct = Full(g.Apply("reduce_prod", new[] { safe }, keep));
        var zeros = Full(g.Apply("reduce_sum", new[] { Cast.Apply(g, isZero, t) }, keep));
        var zero = MathOpSupport.Zero(g, t);
        var noZero = MathOpSupport.Where(g, g.Apply("equal", new[] { zeros, zero }), g.Div(nonZeroProduct, safe), zero);
        var oneZero = MathOpSupport.Where(g, g.Apply("logical_and", new[] { g.Apply("equal", new[] { zeros, g.Scalar(1, t) }), isZero }), nonZeroProduct, zero);
        return new[] { g.Mul(Full(KeepDims(g, node, dy)), g.Add(noZero, oneZero)) };
    }
}
