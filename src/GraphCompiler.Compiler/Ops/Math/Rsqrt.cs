using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Kernels;

namespace GraphCompiler.Compiler.Ops;

/// <summary>y = 1/√x. Gradient: dx = −½ · dy · y³.</summary>
public sealed class Rsqrt : UnaryFloatOp
{
    public override string Name => "rsqrt";
    public override double Compute(double[] x, Attrs attrs) => 1 / Math.Sqrt(x[0]);
    public override ScalarExpr Template(Attrs attrs, DType t) => ScalarExpr.Literal(1, t) / ScalarExpr.Call(ScalarFunction.Sqrt, t, ScalarExpr.Arg(0));
    public override IReadOnlyList<Node?> Gradient(GraphBuilder g, Node node, Node dy) =>
        new[] { g.Mul(g.Mul(dy, g.Scalar(-0.5, node.DType)), g.Mul(node, g.Mul(node, node))) };
}
