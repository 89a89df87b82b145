using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Kernels;

namespace GraphCompiler.Compiler.Ops;

/// <summary>
/// Converts to <c>dtype</c> (from <c>from</c>, the input's dtype, which the C# spelling needs):
/// floats round to the nearest float32, floats to integers truncate toward zero, anything to bool
/// is x ≠ 0, bool to a number is 0 or 1. Gradient: dx = cast(dy) back to the input dtype when both
/// dtypes are float; no gradient otherwise (TensorFlow's rule: integers and bools carry none).
/// </summary>
public sealed class Cast : ElementwiseOp
{
    public override string Name => "cast";
    public override int Arity => 1;
    public override bool HasGradient => true;

    /// <summary>The attributes of a cast of a <paramref name="from"/> tensor to <paramref name="to"/>.</summary>
    public static Attrs To(DType from, DType to) => Attrs.Of(("from", from), ("dtype", to));

    /// <summary>x cast to <paramref name="to"/>; x itself when it already has that dtype.</summary>
    public static Node Apply(GraphBuilder g, Node x, DType to) => x.DType == to ? x : g.Apply("cast", new[] { x }, To(x.DType, to));

    public override (DType DType, Shape Shape) InferType(IReadOnlyList<Node> inputs, Attrs attrs)
    {
        ExpectArity(inputs, 1, Name);
        if (!attrs.Has("from") || attrs.GetDType("from") != inputs[0].DType)
            throw new ShapeException($"{Name}: attribute 'from' must be the input's dtype {inputs[0].DType.ShortName()}");
        return (attrs.GetDType("dtype"), inputs[0].Shape);
    }

    public override double Compute(double[] x, Attrs attrs) => x[0];

    public override RefTensor Evaluate(IReadOnlyList<RefTensor> inputs, Attrs attrs, int[] outShape) =>
        MathOpSupport.Map(attrs.GetDType("dtype"), inputs, outShape, x => x[0]);

    public override ScalarExpr Template(Attrs attrs, DType t)
    {
        var from = attrs.GetDType("from");
        var x = ScalarExpr.Arg(0);
        if (from == t) return x;
        if (t == DType.Bool) return ScalarExpr.Binary(BinaryOp.NotEqual, x, ScalarExpr.Literal(0, from));
        if (from == DType.Bool) return ScalarExpr.Select(x, ScalarExpr.Literal(1, t), ScalarExpr.Literal(0, t));
        return ScalarExpr.Convert(t, x);
    }

    public override IReadOnlyList<Node?> Gradient(GraphBuilder g, Node node, Node dy)
    {
        var from = node.Inputs[0].DType;
        return new[] { from.IsFloat() && node.DType.IsFloat() ? Apply(g, dy, from) : null };
    }
}
