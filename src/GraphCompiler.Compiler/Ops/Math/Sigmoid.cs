using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Ops;

/// <summary>
/// y = σ(x) = 1/(1 + e^(−x)). A primitive for stability: it evaluates e^(−|x|) only, so it never
/// overflows, and its gradient reuses y. Gradient: dx = dy · y · (1 − y).
/// </summary>
public sealed class Sigmoid : UnaryFloatOp
{
    public override string Name => "sigmoid";
    public override double Compute(double[] x, Attrs attrs) => SpecialFunctions.Sigmoid(x[0]);
    public override string CSharp(IReadOnlyList<string> a, Attrs attrs, DType t) => $"{MathOpSupport.CpuOps}.Sigmoid({a[0]})";

    // The runtime's Sigmoid has Vector<float> and Vector<double> overloads (also through e^(−|x|)).
    public override string? CSharpVector(IReadOnlyList<string> a, Attrs attrs, DType t) => CSharp(a, attrs, t);
    public override IReadOnlyList<Node?> Gradient(GraphBuilder g, Node node, Node dy) =>
        new[] { g.Mul(dy, g.Mul(node, g.Sub(g.Scalar(1, node.DType), node))) };
}
