using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Ops.Composites;

public static partial class MathComposites
{
    /// <summary>ln Σ eˣ over <paramref name="axes"/>, stably as m + ln Σ e^(x − m) with m = max x held constant.</summary>
    public static Node ReduceLogSumExp(GraphBuilder g, Node x, int[] axes, bool keepDims)
    {
        using var scope = g.NameScope("reduce_logsumexp");
        RequireFloat(x, "reduce_logsumexp");
        var m = Op(g, "stop_gradient", Reduce(g, "reduce_max", x, axes, keepDims: true));
        var lse = g.Add(Op(g, "log", Reduce(g, "reduce_sum", Op(g, "exp", g.Sub(x, m)), axes, keepDims: true)), m);
        return keepDims ? lse : DropAxes(g, lse, x, axes);
    }

    /// <summary>
    /// <c>tf.nn.moments</c>: mean = Σx/N and variance = Σ(x − mean)²/N over <paramref name="axes"/>, the
    /// mean held constant inside the variance (TensorFlow's form; the gradient is the same, as
    /// Σ(x − mean) = 0). Two nodes, since a node has one output.
    /// </summary>
    public static (Node Mean, Node Variance) Moments(GraphBuilder g, Node x, int[] axes, bool keepDims)
    {
        using var scope = g.NameScope("moments");
        RequireFloat(x, "moments");
        var mean = Mean(g, x, axes, keepDims: true);
        var variance = Mean(g, Op(g, "square", g.Sub(x, Op(g, "stop_gradient", mean))), axes, keepDims);
        return (keepDims ? mean : DropAxes(g, mean, x, axes), variance);
    }

    /// <summary><c>tf.math.reduce_variance</c>: Σ(x − mean)²/N over <paramref name="axes"/>.</summary>
    public static Node ReduceVariance(GraphBuilder g, Node x, int[] axes, bool keepDims)
    {
        using var scope = g.NameScope("reduce_variance");
        RequireFloat(x, "reduce_variance");
        var mean = Mean(g, x, axes, keepDims: true);
        return Mean(g, Op(g, "square", g.Sub(x, mean)), axes, keepDims);
    }
}
