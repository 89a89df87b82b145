using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Ops;

/// <summary>x². Gradient: dy · 2x.</summary>
public sealed class Square : ElementwiseOp
{
    public override string Name => "square";
    public override int Arity => 1;
    public override double Compute(double[] x, Attrs attrs) => x[0] * x[0];
    public override string CSharp(IReadOnlyList<string> a, Attrs attrs, DType t) => $"({a[0]} * {a[0]})";
    public override bool VectorFriendly => true;
    public override bool HasGradient => true;
    public override IReadOnlyList<Node?> Gradient(GraphBuilder g, Node node, Node dy) =>
        new[] { g.Mul(dy, g.Mul(g.Scalar(2, node.DType), node.Inputs[0])) };
}
