using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Kernels;

namespace GraphCompiler.Compiler.Ops;

/// <summary>
/// y = ln(1 + x), accurate for tiny x (see <see cref="SpecialFunctions.Log1p"/>). A primitive for
/// precision: log(1 + x) as two ops rounds 1 + x first. Gradient: dx = dy / (1 + x).
/// </summary>
public sealed class Log1p : UnaryFloatOp
{
    public override string Name => "log1p";
    public override double Compute(double[] x, Attrs attrs) => SpecialFunctions.Log1p(x[0]);
    public override ScalarExpr Template(Attrs attrs, DType t) => ScalarExpr.Call(ScalarFunction.Log1p, t, ScalarExpr.Arg(0));
    public override IReadOnlyList<Node?> Gradient(GraphBuilder g, Node node, Node dy) =>
        new[] { g.Div(dy, g.Add(g.Scalar(1, node.DType), node.Inputs[0])) };
}
