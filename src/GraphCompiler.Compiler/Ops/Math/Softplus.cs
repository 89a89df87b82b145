using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Kernels;

namespace GraphCompiler.Compiler.Ops;

/// <summary>
/// y = ln(1 + eˣ), evaluated as max(x, 0) + ln(1 + e^(−|x|)) so that nothing overflows. A primitive,
/// as TensorFlow's <c>Softplus</c>, because the sampled losses take one per logit: as a composite its
/// gradient went through sign, comparison and where nodes that kept the kernels scalar, while
/// dx = dy · σ(x) is one SIMD-friendly expression.
/// </summary>
public sealed class Softplus : UnaryFloatOp
{
    public override string Name => "softplus";
    public override double Compute(double[] x, Attrs attrs) => SpecialFunctions.Softplus(x[0]);
    public override ScalarExpr Template(Attrs attrs, DType t) => ScalarExpr.Call(ScalarFunction.Softplus, t, ScalarExpr.Arg(0));

    public override IReadOnlyList<Node?> Gradient(GraphBuilder g, Node node, Node dy) =>
        new[] { g.Mul(dy, g.Apply("sigmoid", new[] { node.Inputs[0] })) };
}
