using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Kernels;

namespace GraphCompiler.Compiler.Ops;

/// <summary>y = tanh x. A primitive: stable at large |x| and its gradient reuses y. Gradient: dx = dy · (1 − y²).</summary>
public sealed class Tanh : UnaryFloatOp
{
    public override string Name => "tanh";
    public override double Compute(double[] x, Attrs attrs) => Math.Tanh(x[0]);
    public override ScalarExpr Template(Attrs attrs, DType t) => ScalarExpr.Call(ScalarFunction.Tanh, t, ScalarExpr.Arg(0));
    public override IReadOnlyList<Node?> Gradient(GraphBuilder g, Node node, Node dy) =>
        new[] { g.Mul(dy, g.Sub(g.Scalar(1, node.DType), g.Mul(node, node))) };
}
