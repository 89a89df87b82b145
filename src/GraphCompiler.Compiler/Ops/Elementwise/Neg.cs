using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Kernels;

namespace GraphCompiler.Compiler.Ops;

/// <summary>-x. Gradient: -dy.</summary>
public sealed class Neg : ElementwiseOp
{
    public override string Name => "neg";
    public override int Arity => 1;
    public override double Compute(double[] x, Attrs attrs) => -x[0];
    public override ScalarExpr Template(Attrs attrs, DType t) => -ScalarExpr.Arg(0);
    public override bool HasGradient => true;
    public override IReadOnlyList<Node?> Gradient(GraphBuilder g, Node node, Node dy) => new[] { g.Neg(dy) };
}
