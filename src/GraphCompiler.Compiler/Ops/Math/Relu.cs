using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Ops;

/// <summary>
/// y = max(x, 0), with NaN mapped to 0 (<c>x &gt; 0 ? x : 0</c>). A primitive, as TensorFlow's
/// <c>Relu</c>, so that its gradient reads the output instead of a stored bool mask: both passes
/// are plain float kernels that vectorise. Gradient: <see cref="ReluGrad"/>(dy, y).
/// </summary>
public sealed class Relu : NumericElementwiseOp
{
    public override string Name => "relu";
    public override int Arity => 1;
    public override bool HasGradient => true;

    public override double Compute(double[] x, Attrs attrs) => x[0] > 0 ? x[0] : 0;

    public override string CSharp(IReadOnlyList<string> a, Attrs attrs, DType t) => $"({a[0]} > {MathOpSupport.Lit(0, t)} ? {a[0]} : {MathOpSupport.Lit(0, t)})";

    public override string? CSharpVector(IReadOnlyList<string> a, Attrs attrs, DType t) =>
        $"Vector.ConditionalSelect(Vector.GreaterThan({a[0]}, Vector<{t.CSharpName()}>.Zero), {a[0]}, Vector<{t.CSharpName()}>.Zero)";

    public override IReadOnlyList<Node?> Gradient(GraphBuilder g, Node node, Node dy) =>
        new[] { g.Apply("relu_grad", new[] { dy, node }) };
}
