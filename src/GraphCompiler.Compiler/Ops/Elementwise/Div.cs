using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Kernels;

namespace GraphCompiler.Compiler.Ops;

/// <summary>a / b. Gradient: (dy / b, -dy · (a/b) / b), each summed over broadcast dims.</summary>
public sealed class Div : ElementwiseOp
{
    public override string Name => "div";
    public override int Arity => 2;
    public override double Compute(double[] x, Attrs attrs) => x[0] / x[1];
    public override ScalarExpr Template(Attrs attrs, DType t) => ScalarExpr.Arg(0) / ScalarExpr.Arg(1);
    public override bool HasGradient => true;
    public override IReadOnlyList<Node?> Gradient(GraphBuilder g, Node node, Node dy)
    {
        var b = node.Inputs[1];
        return new[] { g.SumToLike(g.Div(dy, b), node.Inputs[0]), g.SumToLike(g.Neg(g.Div(g.Mul(dy, node), b)), b) };
    }
}
