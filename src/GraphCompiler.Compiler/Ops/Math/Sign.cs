using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Kernels;

namespace GraphCompiler.Compiler.Ops;

/// <summary>y = sign(x): −1, 0 or 1 (NaN stays NaN). Gradient: zero everywhere (as TensorFlow).</summary>
public sealed class Sign : ElementwiseOp
{
    public override string Name => "sign";
    public override int Arity => 1;
    public override bool HasGradient => true;

    public override (DType DType, Shape Shape) InferType(IReadOnlyList<Node> inputs, Attrs attrs)
    {
        ExpectArity(inputs, 1, Name);
        MathOpSupport.RequireNumeric(inputs, Name);
        return (inputs[0].DType, inputs[0].Shape);
    }

    public override double Compute(double[] x, Attrs attrs) => x[0] > 0 ? 1 : x[0] < 0 ? -1 : x[0];

    public override ScalarExpr Template(Attrs attrs, DType t) =>
        ScalarExpr.Select(ScalarExpr.Binary(BinaryOp.Greater, ScalarExpr.Arg(0), ScalarExpr.Literal(0, t)), ScalarExpr.Literal(1, t),
            ScalarExpr.Select(ScalarExpr.Binary(BinaryOp.Less, ScalarExpr.Arg(0), ScalarExpr.Literal(0, t)), ScalarExpr.Literal(-1, t), ScalarExpr.Arg(0)));

    public override IReadOnlyList<Node?> Gradient(GraphBuilder g, Node node, Node dy) =>
        new[] { g.BroadcastLike(MathOpSupport.Zero(g, node.DType), node.Inputs[0]) };
}
