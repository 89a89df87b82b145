using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Kernels;

namespace GraphCompiler.Compiler.Ops;

/// <summary>y = 1/x. Gradient: dx = −dy · y².</summary>
public sealed class Reciprocal : UnaryFloatOp
{
    public override string Name => "reciprocal";
    public override double Compute(double[] x, Attrs attrs) => 1 / x[0];
    public override ScalarExpr Template(Attrs attrs, DType t) => ScalarExpr.Literal(1, t) / ScalarExpr.Arg(0);
    public override IReadOnlyList<Node?> Gradient(GraphBuilder g, Node node, Node dy) => new[] { g.Neg(g.Mul(dy, g.Mul(node, node))) };
}
