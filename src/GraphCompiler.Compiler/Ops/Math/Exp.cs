using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Kernels;

namespace GraphCompiler.Compiler.Ops;

/// <summary>y = eˣ. Gradient: dx = dy · y.</summary>
public sealed class Exp : UnaryFloatOp
{
    public override string Name => "exp";
    public override double Compute(double[] x, Attrs attrs) => Math.Exp(x[0]);
    public override ScalarExpr Template(Attrs attrs, DType t) => ScalarExpr.Call(ScalarFunction.Exp, t, ScalarExpr.Arg(0));
    public override IReadOnlyList<Node?> Gradient(GraphBuilder g, Node node, Node dy) => new[] { g.Mul(dy, node) };
}
