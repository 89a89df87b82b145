using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Kernels;

namespace GraphCompiler.Compiler.Ops;

/// <summary>
/// y = aᵇ (float, broadcasting). Gradient: da = dy · b · a^(b−1); db = dy · y · ln a where a &gt; 0
/// and 0 elsewhere (TensorFlow's choice, which keeps NaN out of the gradient); each summed to its input's shape.
/// </summary>
public sealed class Pow : ElementwiseOp
{
    public override string Name => "pow";
    public override int Arity => 2;
    public override bool HasGradient => true;

    public override (DType DType, Shape Shape) InferType(IReadOnlyList<Node> inputs, Attrs attrs)
    {
        MathOpSupport.RequireFloat(inputs, Name);
        return base.InferType(inputs, attrs);
    }

    public override double Compute(double[] x, Attrs attrs) => Math.Pow(x[0], x[1]);
    public override ScalarExpr Template(Attrs attrs, DType t) => ScalarExpr.Call(ScalarFunction.Pow, t, ScalarExpr.Arg(0), ScalarExpr.Arg(1));

    public override IReadOnlyList<Node?> Gradient(GraphBuilder g, Node node, Node dy)
    {
        Node a = node.Inputs[0], b = node.Inputs[1];
        var t = node.DType;
        var da = g.Mul(dy, g.Mul(b, g.Apply("pow", new[] { a, g.Sub(b, g.Scalar(1, t)) })));
        var positive = g.Apply("greater", new[] { a, MathOpSupport.Zero(g, t) });
        var safeA = MathOpSupport.Where(g, positive, a, g.Scalar(1, t));
        var logA = MathOpSupport.Where(g, positive, g.Apply("log", new[] { safeA }), MathOpSupport.Zero(g, t));
        var db = g.Mul(dy, g.Mul(node, logA));
        return new[] { g.SumToLike(da, a), g.SumToLike(db, b) };
    }
}
