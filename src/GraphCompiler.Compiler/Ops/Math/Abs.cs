using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Kernels;

namespace GraphCompiler.Compiler.Ops;

/// <summary>y = |x| (any numeric dtype; integers wrap at their minimum). Gradient: dx = dy · sign(x) (0 at 0, as TensorFlow).</summary>
public sealed class Abs : ElementwiseOp
{
    public override string Name => "abs";
    public override int Arity => 1;
    public override bool HasGradient => true;

    public override (DType DType, Shape Shape) InferType(IReadOnlyList<Node> inputs, Attrs attrs)
    {
        ExpectArity(inputs, 1, Name);
        MathOpSupport.RequireNumeric(inputs, Name);
        return (inputs[0].DType, inputs[0].Shape);
    }

    public override double Compute(double[] x, Attrs attrs) => Math.Abs(x[0]);

    public override ScalarExpr Template(Attrs attrs, DType t) =>
        t.IsFloat() ? ScalarExpr.Call(ScalarFunction.Abs, t, ScalarExpr.Arg(0))
        : ScalarExpr.Select(ScalarExpr.Binary(BinaryOp.Less, ScalarExpr.Arg(0), ScalarExpr.Literal(0, t)), -ScalarExpr.Arg(0), ScalarExpr.Arg(0));

    public override IReadOnlyList<Node?> Gradient(GraphBuilder g, Node node, Node dy) =>
        new[] { g.Mul(dy, g.Apply("sign", new[] { node.Inputs[0] })) };
}
