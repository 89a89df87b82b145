using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Kernels;

namespace GraphCompiler.Compiler.Ops;

/// <summary>x². Gradient: dy · 2x.</summary>
public sealed class Square : ElementwiseOp
{
    public override string Name => "square";
    public override int Arity => 1;
    public override double Compute(double[] x, Attrs attrs) => x[0] * x[0];
    public override ScalarExpr Template(Attrs attrs, DType t) => ScalarExpr.Arg(0) * ScalarExpr.Arg(0);
    public override bool HasGradient => true;
    public override IReadOnlyList<Node?> Gradient(GraphBuilder g, Node node, Node dy) =>
        new[] { g.Mul(dy, g.Mul(g.Scalar(2, node.DType), node.Inputs[0])) };
}
