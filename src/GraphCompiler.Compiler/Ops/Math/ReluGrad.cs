using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Kernels;

namespace GraphCompiler.Compiler.Ops;

/// <summary>
/// TensorFlow's <c>ReluGrad</c>: dx = dy where the relu's output y &gt; 0, else 0 (inputs: dy, y).
/// Gradient: to dy, relu_grad of the incoming gradient with the same y; to y none (the mask is
/// piecewise constant).
/// </summary>
public sealed class ReluGrad : NumericElementwiseOp
{
    public override string Name => "relu_grad";
    public override int Arity => 2;
    public override bool HasGradient => true;

    public override double Compute(double[] x, Attrs attrs) => x[1] > 0 ? x[0] : 0;

    public override ScalarExpr Template(Attrs attrs, DType t) =>
        ScalarExpr.Select(ScalarExpr.Binary(BinaryOp.Greater, ScalarExpr.Arg(1), ScalarExpr.Literal(0, t)), ScalarExpr.Arg(0), ScalarExpr.Literal(0, t));

    public override IReadOnlyList<Node?> Gradient(GraphBuilder g, Node node, Node dy) =>
        new[] { g.Apply("relu_grad", new[] { dy, node.Inputs[1] }), null };
}
