using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Ops;

/// <summary>y = tanh x. A primitive: stable at large |x| and its gradient reuses y. Gradient: dx = dy · (1 − y²).</summary>
public sealed class Tanh : UnaryFloatOp
{
    public override string Name => "tanh";
    public override double Compute(double[] x, Attrs attrs) => Math.Tanh(x[0]);
    public override string CSharp(IReadOnlyList<string> a, Attrs attrs, DType t) => MathOpSupport.Call(t, "Tanh", a[0]);
    public override IReadOnlyList<Node?> Gradient(GraphBuilder g, Node node, Node dy) =>
        new[] { g.Mul(dy, g.Sub(g.Scalar(1, node.DType), g.Mul(node, node))) };
}
