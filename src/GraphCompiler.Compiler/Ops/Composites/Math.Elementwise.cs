using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Ops.Composites;

public static partial class MathComposites
{
    /// <summary>relu(x) = max(x, 0): the relu primitive (its gradient at 0 is 0, as TensorFlow's).</summary>
    public static Node Relu(GraphBuilder g, Node x) => Op(g, "relu", x);

    /// <summary>clip(x, lo, hi) = min(max(x, lo), hi); lo and hi broadcast to x, whose shape is kept.</summary>
    public static Node ClipByValue(GraphBuilder g, Node x, Node lo, Node hi)
    {
        using var scope = g.NameScope("clip_by_value");
        var y = Op(g, "minimum", Op(g, "maximum", x, lo), hi);
        if (!y.Shape.Equals(x.Shape))
            throw new ShapeException($"clip_by_value: the bounds {lo.Shape} and {hi.Shape} must broadcast to the shape {x.Shape} of the clipped tensor");
        return y;
    }
}
