using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Random;

namespace GraphCompiler.Compiler.Ops.Composites;

public static partial class MathComposites
{
    /// <summary>The denominator floor of <see cref="MaskedMean"/>: an all-zero mask gives 0 rather than 0/0.</summary>
    public const double MaskedMeanFloor = 1e-12;

    /// <summary>mean((predictions − labels)²) over every element: a scalar.</summary>
    public static Node MeanSquaredError(GraphBuilder g, Node labels, Node predictions)
    {
        using var scope = g.NameScope("mean_squared_error");
        RequireFloat(predictions, "mean_squared_error");
        var squared = Op(g, "square", g.Sub(predictions, labels));
        return Mean(g, squared, Enumerable.Range(0, squared.Shape.Rank).ToArray(), keepDims: false);
    }

    /// <summary>Per-example −Σ labels · log_softmax(logits) along <paramref name="axis"/> (dense labels, e.g. one-hot or soft).</summary>
    public static Node SoftmaxCrossEntropyWithLogits(GraphBuilder g, Node labels, Node logits, int axis)
    {
        using var scope = g.NameScope("softmax_cross_entropy_with_logits");
        RequireFloat(logits, "softmax_cross_entropy_with_logits");
        int a = Axis(axis, logits.Shape.Rank, "softmax_cross_entropy_with_logits");
        if (!labels.Shape.Equals(logits.Shape))
            throw new ShapeException($"softmax_cross_entropy_with_logits: labels {labels.Shape} and logits {logits.Shape} must have the same shape");
        return g.Neg(Reduce(g, "reduce_sum", g.Mul(labels, LogSoftmax(g, logits, a)), new[] { a }, keepDims: false));
    }

    /// <summary>
    /// Per-example −log_softmax(logits)[label] for integer class labels (shape = logits' shape without
    /// its last axis, which must be static). The label is picked without gathering, by multiplying with
    /// (iota == label): a label outside [0, classes) picks nothing and gives loss 0.
    /// </summary>
    public static Node SparseSoftmaxCrossEntropyWithLogits(GraphBuilder g, Node labels, Node logits)
    {
        using var scope = g.NameScope("sparse_softmax_cross_entropy_with_logits");
        const string op = "sparse_softmax_cross_entropy_with_logits";
        // Integer "logits" with float "labels", or labels one axis longer than logits: the classic mix-up
        // of the two arguments, which the dtype rules below would only answer with "cast it".
        if ((labels.DType.IsFloat() && logits.DType.IsInteger()) || (labels.Shape.Rank == logits.Shape.Rank + 1 && logits.Shape.Equals(new Shape(labels.Shape.Take(labels.Shape.Rank - 1)))))
            throw new ShapeException($"{op}: the arguments look swapped: labels {labels.DType.ShortName()}{labels.Shape} and logits {logits.DType.ShortName()}{logits.Shape}; labels are the integer class indices [batch] and logits the float scores [batch, classes]: call SparseSoftmaxCrossEntropyWithLogits(labels, logits)");
        RequireFloat(logits, op);
        if (!labels.DType.IsInteger())
            throw new ShapeException($"{op}: labels must be int32 or int64 class indices, got {labels.DType.ShortName()}{labels.Shape}");
        if (logits.Shape.Rank < 1 || !labels.Shape.Equals(new Shape(logits.Shape.Take(logits.Shape.Rank - 1))))
            throw new ShapeException($"{op}: labels {labels.Shape} must have the shape of logits {logits.Shape} without its last (class) axis");
        var classes = logits.Shape[logits.Shape.Rank - 1];
        if (!classes.IsStatic)
            throw new ShapeException($"{op}: the number of classes (last axis of logits {logits.Shape}) must be static");
        var iota = g.Constant(Enumerable.Range(0, classes.Size).Select(i => (double)i).ToArray(), Shape.Of(classes.Size), labels.DType);
        var column = g.Apply("reshape", new[] { labels }, Attrs.Of(("shape", new Shape(labels.Shape.Concat(new[] { Dim.Of(1) })))));
        var oneHot = Cast.Apply(g, Op(g, "equal", column, iota), logits.DType);
        int last = logits.Shape.Rank - 1;
        return g.Neg(Reduce(g, "reduce_sum", g.Mul(oneHot, LogSoftmax(g, logits, last)), new[] { last }, keepDims: false));
    }

    /// <summary>
    /// Elementwise −z·ln σ(x) − (1 − z)·ln(1 − σ(x)) for labels z and logits x, stably as
    /// max(x, 0) − x·z + ln(1 + e^(−|x|)) (max and −|x| by where on x ≥ 0, as TensorFlow).
    /// </summary>
    public static Node SigmoidCrossEntropyWithLogits(GraphBuilder g, Node labels, Node logits)
    {
        using var scope = g.NameScope("sigmoid_cross_entropy_with_logits");
        RequireFloat(logits, "sigmoid_cross_entropy_with_logits");
        if (!labels.Shape.Equals(logits.Shape))
            throw new ShapeException($"sigmoid_cross_entropy_with_logits: labels {labels.Shape} and logits {logits.Shape} must have the same shape");
        var zero = Scalar(g, 0, logits);
        var nonNegative = Op(g, "greater_equal", logits, zero);
        var relu = MathOpSupport.Where(g, nonNegative, logits, zero);
        var negAbs = MathOpSupport.Where(g, nonNegative, g.Neg(logits), logits);
        return g.Add(g.Sub(relu, g.Mul(logits, labels)), Op(g, "log1p", Op(g, "exp", negAbs)));
    }

    /// <summary>l2_loss(x) = Σx² / 2, a scalar.</summary>
    public static Node L2Loss(GraphBuilder g, Node x)
    {
        using var scope = g.NameScope("l2_loss");
        RequireFloat(x, "l2_loss");
        var sum = Reduce(g, "reduce_sum", Op(g, "square", x), Enumerable.Range(0, x.Shape.Rank).ToArray(), keepDims: false);
        return g.Mul(sum, Scalar(g, 0.5, x));
    }

    /// <summary>
    /// Σ(values·mask) / max(Σmask, 1e-12), the sums over every element, mask broadcast to values' shape
    /// (a bool mask counts as 0/1). An all-zero mask gives 0; fractional masks act as weights.
    /// </summary>
    public static Node MaskedMean(GraphBuilder g, Node values, Node mask)
    {
        using var scope = g.NameScope("masked_mean");
        RequireFloat(values, "masked_mean");
        mask = Cast.Apply(g, mask, values.DType);
        var weighted = g.Mul(values, mask);
        var all = Enumerable.Range(0, weighted.Shape.Rank).ToArray();
        var total = Reduce(g, "reduce_sum", weighted, all, keepDims: false);
        var weight = Reduce(g, "reduce_sum", g.BroadcastLike(mask, weighted), all, keepDims: false);
        return g.Div(total, Op(g, "maximum", weight, Scalar(g, MaskedMeanFloor, values)));
    }

    /// <summary>
    /// Inverted dropout with drop probability <paramref name="rate"/> (see <see cref="Ops.Dropout"/>).
    /// Without an explicit op <paramref name="seed"/>, the k-th dropout of the graph gets the seed
    /// Mix(k), which changes only when dropouts are added or removed before it.
    /// </summary>
    public static Node Dropout(GraphBuilder g, Node x, double rate, long? seed)
    {
        long opSeed = seed ?? unchecked((long)PhiloxKey.Mix((ulong)g.Nodes.Count(n => n.OpName == "dropout") + 1));
        return g.Apply("dropout", new[] { x }, Ops.Dropout.Of(rate, opSeed));
    }
}
