using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Ops.Composites;

public static partial class MathComposites
{
    /// <summary>relu(x) = max(x, 0), as where(x &gt; 0, x, 0) so that the gradient at 0 is 0 (TensorFlow's).</summary>
    public static Node Relu(GraphBuilder g, Node x) =>
        MathOpSupport.Where(g, Op(g, "greater", x, Scalar(g, 0, x)), x, Scalar(g, 0, x));

    /// <summary>clip(x, lo, hi) = min(max(x, lo), hi); lo and hi broadcast to x, whose shape is kept.</summary>
    public static Node ClipByValue(GraphBuilder g, Node x, Node lo, Node hi)
    {
        var y = Op(g, "minimum", Op(g, "maximum", x, lo), hi);
        if (!y.Shape.Equals(x.Shape))
            throw new ShapeException($"clip_by_value: the bounds {lo.Shape} and {hi.Shape} must broadcast to the shape {x.Shape} of the clipped tensor");
        return y;
    }
}
