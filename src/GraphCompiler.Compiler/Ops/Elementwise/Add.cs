using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Kernels;

namespace GraphCompiler.Compiler.Ops;

/// <summary>a + b. Gradient: dy to each input, summed over broadcast dims.</summary>
public sealed class Add : ElementwiseOp
{
    public override string Name => "add";
    public override int Arity => 2;
    public override double Compute(double[] x, Attrs attrs) => x[0] + x[1];
    public override ScalarExpr Template(Attrs attrs, DType t) => ScalarExpr.Arg(0) + ScalarExpr.Arg(1);
    public override bool HasGradient => true;
    public override IReadOnlyList<Node?> Gradient(GraphBuilder g, Node node, Node dy) =>
        new[] { g.SumToLike(dy, node.Inputs[0]), g.SumToLike(dy, node.Inputs[1]) };
}
