using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Ops;

/// <summary>y = 1/x. Gradient: dx = −dy · y².</summary>
public sealed class Reciprocal : UnaryFloatOp
{
    public override string Name => "reciprocal";
    public override double Compute(double[] x, Attrs attrs) => 1 / x[0];
    public override string CSharp(IReadOnlyList<string> a, Attrs attrs, DType t) => $"({MathOpSupport.Lit(1, t)} / {a[0]})";
    public override IReadOnlyList<Node?> Gradient(GraphBuilder g, Node node, Node dy) => new[] { g.Neg(g.Mul(dy, g.Mul(node, node))) };
}
