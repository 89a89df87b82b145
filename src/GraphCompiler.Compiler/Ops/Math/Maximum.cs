using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Kernels;

namespace GraphCompiler.Compiler.Ops;

/// <summary>
/// y = max(a, b) elementwise (broadcasting; NaN propagates). Gradient (TensorFlow's rule): dy goes
/// to a where a ≥ b and to b elsewhere, so a tie sends all of it to a; each summed to its input's shape.
/// </summary>
public sealed class Maximum : NumericElementwiseOp
{
    public override string Name => "maximum";
    public override int Arity => 2;
    public override bool HasGradient => true;

    public override double Compute(double[] x, Attrs attrs) => Math.Max(x[0], x[1]);
    public override ScalarExpr Template(Attrs attrs, DType t) => ScalarExpr.Call(ScalarFunction.Max, t, ScalarExpr.Arg(0), ScalarExpr.Arg(1));

    public override IReadOnlyList<Node?> Gradient(GraphBuilder g, Node node, Node dy) =>
        Minimum.RouteByMask(g, node, dy, g.Apply("greater_equal", new[] { node.Inputs[0], node.Inputs[1] }));
}
