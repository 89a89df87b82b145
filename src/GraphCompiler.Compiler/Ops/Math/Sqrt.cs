using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Kernels;

namespace GraphCompiler.Compiler.Ops;

/// <summary>y = √x (NaN below 0). Gradient: dx = dy / (2y).</summary>
public sealed class Sqrt : UnaryFloatOp
{
    public override string Name => "sqrt";
    public override double Compute(double[] x, Attrs attrs) => Math.Sqrt(x[0]);
    public override ScalarExpr Template(Attrs attrs, DType t) => ScalarExpr.Call(ScalarFunction.Sqrt, t, ScalarExpr.Arg(0));
    public override IReadOnlyList<Node?> Gradient(GraphBuilder g, Node node, Node dy) =>
        new[] { g.Div(dy, g.Mul(g.Scalar(2, node.DType), node)) };
}
