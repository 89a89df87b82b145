using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Kernels;

namespace GraphCompiler.Compiler.Ops;

/// <summary>
/// y = erf(x) = 2/√π ∫₀ˣ e^(−t²) dt (series of <see cref="SpecialFunctions.Erf"/>, absolute error
/// below 1e-15). A primitive because no composition of the other primitives gives it precisely;
/// exact GELU builds on it. Gradient: dx = dy · 2/√π · e^(−x²).
/// </summary>
public sealed class Erf : UnaryFloatOp
{
    public override string Name => "erf";
    public override double Compute(double[] x, Attrs attrs) => SpecialFunctions.Erf(x[0]);
    public override ScalarExpr Template(Attrs attrs, DType t) => ScalarExpr.Call(ScalarFunction.Erf, t, ScalarExpr.Arg(0));
    public override IReadOnlyList<Node?> Gradient(GraphBuilder g, Node node, Node dy)
    {
        var x = node.Inputs[0];
        var density = g.Mul(g.Scalar(1.1283791670955126, node.DType), g.Apply("exp", new[] { g.Neg(g.Mul(x, x)) }));
        return new[] { g.Mul(dy, density) };
    }
}
