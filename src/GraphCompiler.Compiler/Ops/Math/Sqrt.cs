using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Ops;

/// <summary>y = √x (NaN below 0). Gradient: dx = dy / (2y).</summary>
public sealed class Sqrt : UnaryFloatOp
{
    public override string Name => "sqrt";
    public override double Compute(double[] x, Attrs attrs) => Math.Sqrt(x[0]);
    public override string CSharp(IReadOnlyList<string> a, Attrs attrs, DType t) => MathOpSupport.Call(t, "Sqrt", a[0]);
    public override IReadOnlyList<Node?> Gradient(GraphBuilder g, Node node, Node dy) =>
        new[] { g.Div(dy, g.Mul(g.Scalar(2, node.DType), node)) };
}
