using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Kernels;

namespace GraphCompiler.Compiler.Ops;

/// <summary>
/// y = min(a, b) elementwise (broadcasting; NaN propagates). Gradient (TensorFlow's rule): dy goes
/// to a where a ≤ b and to b elsewhere, so a tie sends all of it to a; each summed to its input's shape.
/// </summary>
public sealed class Minimum : NumericElementwiseOp
{
    public override string Name => "minimum";
    public override int Arity => 2;
    public override bool HasGradient => true;

    public override double Compute(double[] x, Attrs attrs) => Math.Min(x[0], x[1]);
    public override ScalarExpr Template(Attrs attrs, DType t) => ScalarExpr.Call(ScalarFunction.Min, t, ScalarExpr.Arg(0), ScalarExpr.Arg(1));

    public override IReadOnlyList<Node?> Gradient(GraphBuilder g, Node node, Node dy) =>
        RouteByMask(g, node, dy, g.Apply("less_equal", new[] { node.Inputs[0], node.Inputs[1] }));

    /// <summary>dy to input 0 where <paramref name="toFirst"/>, to input 1 elsewhere, each summed to its input's shape.</summary>
    internal static IReadOnlyList<Node?> RouteByMask(GraphBuilder g, Node node, Node dy, Node toFirst)
    {
        var zero = MathOpSupport.Zero(g, node.DType);
        return new[]
        {
            g.SumToLike(MathOpSupport.Where(g, toFirst, dy, zero), node.Inputs[0]),
            g.SumToLike(MathOpSupport.Where(g, toFirst, zero, dy), node.Inputs[1]),
        };
    }
}
