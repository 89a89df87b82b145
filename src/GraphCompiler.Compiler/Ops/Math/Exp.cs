using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Ops;

/// <summary>y = eˣ. Gradient: dx = dy · y.</summary>
public sealed class Exp : UnaryFloatOp
{
    public override string Name => "exp";
    public override double Compute(double[] x, Attrs attrs) => Math.Exp(x[0]);
    public override string CSharp(IReadOnlyList<string> a, Attrs attrs, DType t) => MathOpSupport.Call(t, "Exp", a[0]);
    public override string? CSharpVector(IReadOnlyList<string> a, Attrs attrs, DType t) => $"Vector.Exp({a[0]})";
    public override IReadOnlyList<Node?> Gradient(GraphBuilder g, Node node, Node dy) => new[] { g.Mul(dy, node) };
}
