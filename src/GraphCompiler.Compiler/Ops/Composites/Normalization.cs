using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Ops.Composites;

/// <summary>
/// Batch normalization with Keras's semantics, from primitives: over every axis but the last (the
/// channels), <c>y = γ·(x − μ)/√(σ² + ε) + β</c>. In the train step μ and σ² are the batch's mean and
/// (biased) variance, and the moving averages are updated by the step itself:
/// <c>moving ← moving·momentum + batch·(1 − momentum)</c>; every other entry point normalizes with the
/// moving averages and leaves them as they are (<see cref="InTraining"/>). Gradients come from the
/// primitives, through the batch statistics.
/// </summary>
public static class Normalization
{
    public static Node BatchNormalization(GraphBuilder g, Node x, Node gamma, Node beta, Node movingMean, Node movingVariance, double momentum, double epsilon)
    {
        const string op = "batch_normalization";
        if (x.Shape.Rank < 2) throw new ShapeException($"{op}: the input needs a batch axis and a channel axis, got {x.Shape}");
        var channels = x.Shape[x.Shape.Rank - 1];
        foreach (var (name, v) in new[] { ("gamma", gamma), ("beta", beta), ("moving_mean", movingMean), ("moving_variance", movingVariance) })
            if (v.Shape.Rank != 1 || v.Shape[0] != channels || v.DType != x.DType)
                throw new ShapeException($"{op}: {name} must be {x.DType.ShortName()}[{channels}] (one value per channel of {x.Shape}), got {v.DType.ShortName()}{v.Shape}");
        if (!(momentum >= 0 && momentum <= 1) || !(epsilon > 0))
            throw new ShapeException($"{op}: momentum must be in [0, 1] and epsilon positive, got {momentum} and {epsilon}");

        var axes = Enumerable.Range(0, x.Shape.Rank - 1).ToArray();
        var reduced = axes.Select(a => x.Shape[a]).ToList();
        var count = reduced.All(d => d.IsStatic)
            ? g.Constant(reduced.Aggregate(1.0, (p, d) => p * d.Size), x.DType)
            : g.Apply("element_count", new[] { x }, Attrs.Of(("axes", axes), ("dtype", x.DType)));
        Node Mean(Node v) => g.Div(g.Apply("reduce_sum", new[] { v }, Attrs.Of(("axes", axes), ("keepdims", false))), count);

        var batchMean = Mean(x);
        var batchVariance = Mean(g.Apply("square", new[] { g.Sub(x, batchMean) }));
        var mean = g.Apply("in_training", new[] { batchMean, movingMean });
        var variance = g.Apply("in_training", new[] { batchVariance, movingVariance });
        var scale = g.Mul(gamma, g.Apply("rsqrt", new[] { g.Add(variance, g.Constant(epsilon, x.DType)) }));
        var y = g.Add(g.Mul(g.Sub(x, mean), scale), beta);

        Node Update(Node moving, Node batch) => g.Apply("in_training", new[]
        {
            g.Add(g.Mul(moving, g.Constant(momentum, x.DType)), g.Mul(batch, g.Constant(1 - momentum, x.DType))), moving,
        });
        g.AddEffect(g.Apply("assign", new[] { movingMean, Update(movingMean, batchMean) }));
        g.AddEffect(g.Apply("assign", new[] { movingVariance, Update(movingVariance, batchVariance) }));
        return y;
    }
}
