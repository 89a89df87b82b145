using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Kernels;

namespace GraphCompiler.Compiler.Ops;

/// <summary>
/// y = x, but differentiation treats y as a constant (<c>tf.stop_gradient</c>): the gradient to x is
/// zero. A primitive because only an op of its own can tell autodiff to stop; in generated code it
/// is a plain copy that fusion removes.
/// </summary>
public sealed class StopGradient : ElementwiseOp
{
    public override string Name => "stop_gradient";
    public override int Arity => 1;
    public override bool HasGradient => true;

    public override (DType DType, Shape Shape) InferType(IReadOnlyList<Node> inputs, Attrs attrs)
    {
        ExpectArity(inputs, 1, Name);
        return (inputs[0].DType, inputs[0].Shape);
    }

    public override double Compute(double[] x, Attrs attrs) => x[0];
    public override ScalarExpr Template(Attrs attrs, DType t) => ScalarExpr.Arg(0);
    public override IReadOnlyList<Node?> Gradient(GraphBuilder g, Node node, Node dy) => new Node?[] { null };
}
