using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Kernels;

namespace GraphCompiler.Compiler.Ops;

/// <summary>
/// y = σ(x) = 1/(1 + e^(−x)). A primitive for stability: it evaluates e^(−|x|) only, so it never
/// overflows, and its gradient reuses y. Gradient: dx = dy · y · (1 − y).
/// </summary>
public sealed class Sigmoid : UnaryFloatOp
{
    public override string Name => "sigmoid";
    public override double Compute(double[] x, Attrs attrs) => SpecialFunctions.Sigmoid(x[0]);
    public override ScalarExpr Template(Attrs attrs, DType t) => ScalarExpr.Call(ScalarFunction.Sigmoid, t, ScalarExpr.Arg(0));
    public override IReadOnlyList<Node?> Gradient(GraphBuilder g, Node node, Node dy) =>
        new[] { g.Mul(dy, g.Mul(node, g.Sub(g.Scalar(1, node.DType), node))) };
}
