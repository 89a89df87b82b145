using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Passes;

namespace GraphCompiler.Compiler.Ops.Composites;

/// <summary>
/// Differentiation reached an op without a gradient rule from a <c>Gradients</c> call: names the op
/// and the chain of node names from an x, through it, to the y.
/// </summary>
public sealed class GradientPathException : Exception
{
    public GradientPathException(Node node, IReadOnlyList<string> path)
        : base($"op '{node.OpName}' ({node.Name}) has no gradient, but it lies on the path {string.Join(" -> ", path)} being differentiated; wrap its input in StopGradient or differentiate another value")
    {
        Node = node;
        Path = path;
    }

    public Node Node { get; }

    /// <summary>Node names from an x to the y, through <see cref="Node"/>.</summary>
    public IReadOnlyList<string> Path { get; }
}

public static partial class MathComposites
{
    /// <summary>
    /// <c>tf.gradients</c>: Σ_k ∂y_k/∂x for each x, each y_k weighted by <paramref name="gradYs"/>[k]
    /// (ones when null). An x that no y depends on gets zeros of its shape (TensorFlow's
    /// <c>UnconnectedGradients.ZERO</c>). Throws <see cref="GradientPathException"/> when an op without
    /// a gradient lies between an x and a y.
    /// </summary>
    public static Node[] Gradients(GraphBuilder g, IReadOnlyList<Node> ys, IReadOnlyList<Node> xs, IReadOnlyList<Node>? gradYs)
    {
        if (ys.Count == 0) throw new ShapeException("gradients: ys is empty; pass at least one tensor to differentiate");
        if (gradYs is not null && gradYs.Count != ys.Count)
            throw new ShapeException($"gradients: {gradYs.Count} gradYs for {ys.Count} ys; pass one per y (or none for ones)");
        foreach (var x in xs)
            if (!x.DType.IsFloat()) throw new ShapeException($"gradients: x '{x.Name}' is {x.DType.ShortName()}{x.Shape}; only float tensors have gradients");
        var sums = new Node?[xs.Count];
        for (int k = 0; k < ys.Count; k++)
        {
            var y = ys[k];
            Node? dy = null;
            if (gradYs is not null)
            {
                dy = gradYs[k];
                if (!dy.Shape.Equals(y.Shape) || dy.DType != y.DType)
                    throw new ShapeException($"gradients: gradYs[{k}] is {dy.DType.ShortName()}{dy.Shape} but ys[{k}] is {y.DType.ShortName()}{y.Shape}; they must match");
            }
            Node?[] part;
            try
            {
                part = Autodiff.Gradients(g, y, xs, dy);
            }
            catch (NoGradientException e)
            {
                throw new GradientPathException(e.Node, PathThrough(e.Node, xs, y));
            }
            for (int i = 0; i < xs.Count; i++)
                if (part[i] is { } p) sums[i] = sums[i] is { } s ? g.Add(s, p) : p;
        }
        return sums.Select((s, i) => s ?? g.BroadcastLike(g.Scalar(0, xs[i].DType), xs[i])).ToArray();
    }

    /// <summary>Node names of one chain from an x to <paramref name="y"/> that passes through <paramref name="via"/>.</summary>
    public static IReadOnlyList<string> PathThrough(Node via, IReadOnlyList<Node> xs, Node y)
    {
        var toVia = ChainBack(via, new HashSet<Node>(xs)) ?? new List<Node> { via };
        var toY = ChainBack(y, new HashSet<Node> { via }) ?? new List<Node> { via, y };
        return toVia.Concat(toY.Skip(1)).Select(n => n.Name).ToList();
    }

    /// <summary>A chain (start first) from some node of <paramref name="starts"/> up the inputs of <paramref name="end"/>, or null.</summary>
    internal static List<Node>? ChainBack(Node end, HashSet<Node> starts)
    {
        var parent = new Dictionary<Node, Node?> { [end] = null };
        var queue = new Queue<Node>();
        queue.Enqueue(end);
        while (queue.Count > 0)
        {
            var n = queue.Dequeue();
            if (starts.Contains(n))
            {
                var chain = new List<Node>();
                for (Node? c = n; c is not null; c = parent[c]) chain.Add(c);
                return chain;
            }
            foreach (var i in n.Inputs)
                if (!parent.ContainsKey(i))
                {
                    parent[i] = n;
                    queue.Enqueue(i);
                }
        }
        return null;
    }

    /// <summary>
    /// <c>tf.clip_by_norm</c>: x · c / max(‖x‖₂, c) with the norm over <paramref name="axes"/> (all when
    /// null), so x is unchanged when its norm is at most c. The norm's square root is guarded (as
    /// TensorFlow does) so that an all-zero x gets the identity's gradient, not 0/0 = NaN.
    /// </summary>
    public static Node ClipByNorm(GraphBuilder g, Node x, Node clipNorm, int[]? axes)
    {
        using var scope = g.NameScope("clip_by_norm");
        RequireFloat(x, "clip_by_norm");
        var all = axes ?? Enumerable.Range(0, x.Shape.Rank).ToArray();
        clipNorm = Retype(g, clipNorm, x.DType);
        var norm = GuardedSqrt(g, Reduce(g, "reduce_sum", Op(g, "square", x), all, keepDims: true));
        var y = g.Div(g.Mul(x, clipNorm), Op(g, "maximum", norm, clipNorm));
        if (!y.Shape.Equals(x.Shape)) throw new ShapeException($"clip_by_norm: clip norm {clipNorm.Shape} must broadcast to the norm's shape {norm.Shape}");
        return y;
    }

    /// <summary>√s for s ≥ 0 whose gradient at s = 0 is finite rather than 0/0: sqrt only sees positive values.</summary>
    private static Node GuardedSqrt(GraphBuilder g, Node squares)
    {
        var positive = Op(g, "greater", squares, Scalar(g, 0, squares));
        var safe = MathOpSupport.Where(g, positive, squares, Scalar(g, 1, squares));
        return MathOpSupport.Where(g, positive, Op(g, "sqrt", safe), squares);
    }

    /// <summary>
    /// <c>tf.clip_by_global_norm</c>: with g = √(Σᵢ‖xᵢ‖²), every xᵢ is scaled by c / max(g, c) (= c · min(1/g, 1/c)), so
    /// all keep their directions and the global norm becomes at most c. Returns the clipped tensors and g.
    /// </summary>
    public static (Node[] Clipped, Node GlobalNorm) ClipByGlobalNorm(GraphBuilder g, IReadOnlyList<Node> xs, Node clipNorm)
    {
        using var scope = g.NameScope("clip_by_global_norm");
        if (xs.Count == 0) throw new ShapeException("clip_by_global_norm: the list of tensors is empty");
        var dtype = xs[0].DType;
        foreach (var x in xs)
        {
            RequireFloat(x, "clip_by_global_norm");
            if (x.DType != dtype) throw new ShapeException($"clip_by_global_norm: all tensors need one dtype, got {dtype.ShortName()} and {x.DType.ShortName()}");
        }
        clipNorm = Retype(g, clipNorm, dtype);
        if (clipNorm.Shape.Rank != 0) throw new ShapeException($"clip_by_global_norm: the clip norm must be a scalar, got {clipNorm.Shape}");
        Node? total = null;
        foreach (var x in xs)
        {
            var s = Reduce(g, "reduce_sum", Op(g, "square", x), Enumerable.Range(0, x.Shape.Rank).ToArray(), keepDims: false);
            total = total is null ? s : g.Add(total, s);
        }
        var globalNorm = GuardedSqrt(g, total!);
        var scale = g.Div(clipNorm, Op(g, "maximum", globalNorm, clipNorm));
        return (xs.Select(x => g.Mul(x, scale)).ToArray(), globalNorm);
    }
}
