using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Ops;

/// <summary>
/// y = ln(1 + x), accurate for tiny x (see <see cref="SpecialFunctions.Log1p"/>). A primitive for
/// precision: log(1 + x) as two ops rounds 1 + x first. Gradient: dx = dy / (1 + x).
/// </summary>
public sealed class Log1p : UnaryFloatOp
{
    public override string Name => "log1p";
    public override double Compute(double[] x, Attrs attrs) => SpecialFunctions.Log1p(x[0]);
    public override string CSharp(IReadOnlyList<string> a, Attrs attrs, DType t) => $"{MathOpSupport.CpuOps}.Log1p({a[0]})";

    // The runtime's Log1p has Vector<float> and Vector<double> overloads with the same cancellation-free form.
    public override string? CSharpVector(IReadOnlyList<string> a, Attrs attrs, DType t) => CSharp(a, attrs, t);
    public override IReadOnlyList<Node?> Gradient(GraphBuilder g, Node node, Node dy) =>
        new[] { g.Div(dy, g.Add(g.Scalar(1, node.DType), node.Inputs[0])) };
}
