using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Ops;

namespace GraphCompiler.Compiler.Passes;

/// <summary>
/// Reverse-mode differentiation as a graph transform (<c>tf.gradients</c>): walks the nodes
/// between <c>xs</c> and <c>y</c> in reverse order, applies each op's gradient rule and sums the
/// contributions of a value used more than once. Gradient nodes live under the <c>gradients/</c> scope,
/// each op's under <c>gradients/&lt;op's name&gt;_grad/</c> as in TensorFlow, so a gradient names the op it differentiates.
/// </summary>
public static class Autodiff
{
    /// <summary>
    /// Appends to <paramref name="b"/> the gradients of <paramref name="y"/> with respect to each of
    /// <paramref name="xs"/> (null where y does not depend on x). <paramref name="dy"/> defaults to ones.
    /// Throws <see cref="NoGradientException"/> for an op without a gradient on a path from xs to y.
    /// </summary>
    public static Node?[] Gradients(GraphBuilder b, Node y, IReadOnlyList<Node> xs, Node? dy = null)
        => Gradients(b, () => new[] { (y, dy ?? b.BroadcastLike(b.Constant(1, y.DType), y)) }, xs);

    /// <summary>
    /// The gradients with respect to each of <paramref name="xs"/> of the sum over seeds of ⟨y, dy⟩: several
    /// outputs differentiated at once (a loop body's next states and per-step outputs).
    /// </summary>
    public static Node?[] Gradients(GraphBuilder b, IReadOnlyList<(Node Y, Node Dy)> seeds, IReadOnlyList<Node> xs) =>
        Gradients(b, () => seeds, xs);

    // The seeds are made inside the gradients scope (the default dy of ones lives there, as in TensorFlow).
    private static Node?[] Gradients(GraphBuilder b, Func<IReadOnlyList<(Node Y, Node Dy)>> makeSeeds, IReadOnlyList<Node> xs)
    {
        var pending = new Dictionary<Node, List<Node>>();
        b.PushNameScope("gradients");
        try
        {
            var seeds = makeSeeds();
            var onPath = new HashSet<Node>(seeds.SelectMany(s => NodesBetween(s.Y, xs)));
            foreach (var (y, dy) in seeds)
            {
                if (!pending.TryGetValue(y, out var seeded)) pending[y] = seeded = new List<Node>();
                seeded.Add(dy);
            }
            var order = onPath.OrderByDescending(n => n.Id).ToList();
            foreach (var node in order)
            {
                if (node.Op is LoopOp)
                {
                    LoopAutodiff.Backward(b, node, onPath, pending);
                    continue;
                }
                if (!pending.TryGetValue(node, out var parts) || node.Inputs.Count == 0) continue;
                var grad = Sum(b, parts);
                pending[node] = new List<Node> { grad };
                if (node.Op.Class == OpClass.Effect) continue;
                if (!node.Op.HasGradient) throw new NoGradientException(node);
                b.CurrentSource = node.Source;
                // TensorFlow's gradient scopes: the gradient of h1/matmul reads gradients/h1/matmul_grad/...
                IReadOnlyList<Node?> inputGrads;
                using (b.NameScope(node.Name + "_grad")) inputGrads = node.Op.Gradient(b, node, grad);
                for (int i = 0; i < node.Inputs.Count; i++)
                {
                    var input = node.Inputs[i];
                    if (inputGrads[i] is null || !onPath.Contains(input)) continue;
                    if (!pending.TryGetValue(input, out var list)) pending[input] = list = new List<Node>();
                    list.Add(inputGrads[i]!);
                }
            }
            return xs.Select(x => pending.TryGetValue(x, out var p) ? Sum(b, p) : null).ToArray();
        }
        finally
        {
            b.CurrentSource = null;
            b.PopNameScope();
        }
    }

    private static Node Sum(GraphBuilder b, List<Node> parts)
    {
        // Sparse row updates of one table (a table looked up twice) stay one sparse update.
        if (SparseRows.TryCombine(b, parts) is { } sparse)
        {
            parts.Clear();
            parts.Add(sparse);
            return sparse;
        }
        var total = parts[0];
        for (int i = 1; i < parts.Count; i++) total = b.Add(total, parts[i]);
        if (parts.Count > 1)
        {
            parts.Clear();
            parts.Add(total);
        }
        return total;
    }

    /// <summary>Nodes that depend on some x and that y depends on (x and y included).</summary>
    public static HashSet<Node> NodesBetween(Node y, IReadOnlyList<Node> xs)
    {
        var reachesY = new HashSet<Node>();
        var stack = new Stack<Node>();
        stack.Push(y);
        while (stack.Count > 0)
        {
            var n = stack.Pop();
            if (!reachesY.Add(n)) continue;
            foreach (var i in n.Inputs) stack.Push(i);
        }
        var fromX = new HashSet<Node>(xs.Where(reachesY.Contains));
        foreach (var n in reachesY.OrderBy(n => n.Id))
            if (n.Inputs.Any(fromX.Contains)) fromX.Add(n);
        return fromX;
    }
}
