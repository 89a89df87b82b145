using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Ops;

/// <summary>
/// TensorFlow's <c>ReluGrad</c>: dx = dy where the relu's output y &gt; 0, else 0 (inputs: dy, y).
/// Gradient: to dy, relu_grad of the incoming gradient with the same y; to y none (the mask is
/// piecewise constant).
/// </summary>
public sealed class ReluGrad : NumericElementwiseOp
{
    public override string Name => "relu_grad";
    public override int Arity => 2;
    public override bool HasGradient => true;

    public override double Compute(double[] x, Attrs attrs) => x[1] > 0 ? x[0] : 0;

    public override string CSharp(IReadOnlyList<string> a, Attrs attrs, DType t) => $"({a[1]} > {MathOpSupport.Lit(0, t)} ? {a[0]} : {MathOpSupport.Lit(0, t)})";

    public override string? CSharpVector(IReadOnlyList<string> a, Attrs attrs, DType t) =>
        $"Vector.ConditionalSelect(Vector.GreaterThan({a[1]}, Vector<{t.CSharpName()}>.Zero), {a[0]}, Vector<{t.CSharpName()}>.Zero)";

    public override IReadOnlyList<Node?> Gradient(GraphBuilder g, Node node, Node dy) =>
        new[] { g.Apply("relu_grad", new[] { dy, node.Inputs[1] }), null };
}
