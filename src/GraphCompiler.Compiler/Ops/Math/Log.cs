using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Kernels;

namespace GraphCompiler.Compiler.Ops;

/// <summary>y = ln x (−∞ at 0, NaN below). Gradient: dx = dy / x.</summary>
public sealed class Log : UnaryFloatOp
{
    public override string Name => "log";
    public override double Compute(double[] x, Attrs attrs) => Math.Log(x[0]);
    public override ScalarExpr Template(Attrs attrs, DType t) => ScalarExpr.Call(ScalarFunction.Log, t, ScalarExpr.Arg(0));
    public override IReadOnlyList<Node?> Gradient(GraphBuilder g, Node node, Node dy) => new[] { g.Div(dy, node.Inputs[0]) };
}
