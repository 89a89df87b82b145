using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Kernels;

namespace GraphCompiler.Compiler.Ops;

/// <summary>
/// y = max(x, 0), with NaN mapped to 0 (<c>x &gt; 0 ? x : 0</c>). A primitive, as TensorFlow's
/// <c>Relu</c>, so that its gradient reads the output instead of a stored bool mask: both passes
/// are plain float kernels that vectorise. Gradient: <see cref="ReluGrad"/>(dy, y).
/// </summary>
public sealed class Relu : NumericElementwiseOp
{
    public override string Name => "relu";
    public override int Arity => 1;
    public override bool HasGradient => true;

    public override double Compute(double[] x, Attrs attrs) => x[0] > 0 ? x[0] : 0;

    public override ScalarExpr Template(Attrs attrs, DType t) =>
        ScalarExpr.Select(ScalarExpr.Binary(BinaryOp.Greater, ScalarExpr.Arg(0), ScalarExpr.Literal(0, t)), ScalarExpr.Arg(0), ScalarExpr.Literal(0, t));

    public override IReadOnlyList<Node?> Gradient(GraphBuilder g, Node node, Node dy) =>
        new[] { g.Apply("relu_grad", new[] { dy, node }) };
}
