using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Ops;

namespace GraphCompiler.Compiler.Passes;

/// <summary>Constant folding, algebraic identities, common-subexpression and dead-code elimination.</summary>
public static class Simplify
{
    /// <summary>Largest constant the folder materialises; bigger results stay computed at run time.</summary>
    private const long MaxFoldedElements = 4096;

    /// <summary>Folds ops whose inputs are all constants (static shapes, small) using the reference semantics.</summary>
    public static Graph FoldConstantsPass(Graph g) => GraphRewriter.Rewrite(g, (b, n, inputs) =>
    {
        // Ops whose value depends on the run (dropout: training flag, seed, step) are never folded.
        if (n.Op.Class is OpClass.Source or OpClass.Effect || inputs.Count == 0 || n.Op is Reference.IRunDependentOp) return null;
        if (!inputs.All(i => i.Op is Ops.Constant) || !n.Shape.IsStatic || n.Shape.StaticElementCount > MaxFoldedElements) return null;
        var values = inputs.Select(i => i.Op.Evaluate(Array.Empty<RefTensor>(), i.Attrs, ToInts(i.Shape))).ToList();
        var result = n.Op.Evaluate(values, n.Attrs, ToInts(n.Shape));
        var data = result.Data.Length > 0 && result.Data.All(v => v.Equals(result.Data[0])) ? new[] { result.Data[0] } : result.Data;
        return b.Constant(data, n.Shape, n.DType);
    });

    /// <summary>x·1, 1·x, x+0, 0+x, x−0, x/1 become x when that keeps the shape.</summary>
    public static Graph AlgebraicIdentitiesPass(Graph g) => GraphRewriter.Rewrite(g, (b, n, inputs) =>
    {
        Node? Keep(Node x) => x.Shape.Equals(n.Shape) && x.DType == n.DType ? x : null;
        bool Is(Node x, double v) => Splat(x) is { } s && s == v;
        return n.OpName switch
        {
            "mul" when Is(inputs[1], 1) => Keep(inputs[0]),
            "mul" when Is(inputs[0], 1) => Keep(inputs[1]),
            "add" when Is(inputs[1], 0) => Keep(inputs[0]),
            "add" when Is(inputs[0], 0) => Keep(inputs[1]),
            "sub" when Is(inputs[1], 0) => Keep(inputs[0]),
            "div" when Is(inputs[1], 1) => Keep(inputs[0]),
            "reshape" when inputs[0].Shape.Equals(n.Shape) => inputs[0],
            "broadcast_like" when OneElementSource(inputs[0]) is { } one && one != inputs[0] && Broadcasting.BroadcastsTo(one.Shape, n.Shape) =>
                b.Apply("broadcast_like", new[] { one, inputs[1] }),
            _ => null,
        };
    });

    /// <summary>
    /// The one-element value that <paramref name="x"/> only spreads out (through broadcast_like and
    /// reshape), or null. Broadcasting x is then broadcasting that value: the mean loss's gradient, a
    /// scalar spread to [batch], reshaped to [batch, 1] and spread again over a row, becomes one scalar
    /// broadcast, which a fused kernel reads as a constant instead of a per-row value.
    /// </summary>
    private static Node? OneElementSource(Node x)
    {
        if (x.Shape.IsStatic && x.Shape.StaticElementCount == 1) return x;
        return x.Op is BroadcastLike || x.OpName == "reshape" ? OneElementSource(x.Inputs[0]) : null;
    }

    /// <summary>
    /// <c>add(x, gather_weighted_sum(t, ids, w))</c>, the sum read nowhere else, becomes
    /// <c>gather_weighted_sum(t, ids, w, x)</c>: each output row starts as x's row and gathers onto it,
    /// instead of a second pass over two arrays (word2vec's input gradient from its positive and its
    /// noise logits).
    /// </summary>
    public static Graph AccumulateIntoGatheredSumsPass(Graph g)
    {
        var consumers = g.Consumers();
        var outputs = new HashSet<Node>(g.Outputs.Select(o => o.Node));
        // The sum must be read by this add alone, once (add(s, s) keeps its sum).
        bool Folds(Node sum, Node other, Node add) => sum.OpName == "gather_weighted_sum" && sum.Inputs.Count == 3 && sum != other
            && consumers[sum].Count == 1 && !outputs.Contains(sum)
            && other.Shape.Equals(add.Shape) && other.DType == add.DType && sum.Shape.Equals(add.Shape);
        return GraphRewriter.Rewrite(g, (b, n, inputs) =>
        {
            if (n.OpName != "add") return null;
            for (int s = 0; s < 2; s++)
            {
                if (!Folds(n.Inputs[s], n.Inputs[1 - s], n)) continue;
                var sum = inputs[s];
                return b.Apply("gather_weighted_sum", new[] { sum.Inputs[0], sum.Inputs[1], sum.Inputs[2], inputs[1 - s] }, sum.Attrs);
            }
            return null;
        });
    }

    /// <summary>Merges nodes with the same op, inputs and attributes (effects are never merged).</summary>
    public static Graph EliminateCommonSubexpressionsPass(Graph g)
    {
        var seen = new Dictionary<string, Node>(StringComparer.Ordinal);
        return GraphRewriter.Rewrite(g, (b, n, inputs) =>
        {
            if (n.Op.Class == OpClass.Effect || n.OpName is "input" or "variable") return null;
            var key = n.OpName + "(" + string.Join(",", inputs.Select(i => i.Id)) + ")" + n.Attrs;
            if (seen.TryGetValue(key, out var existing)) return existing;
            var copy = GraphRewriter.Clone(b, n, inputs);
            seen[key] = copy;
            return copy;
        });
    }

    /// <summary>Drops nodes that no output or effect needs (inputs are kept: they are the signature).</summary>
    public static Graph EliminateDeadCodePass(Graph g)
    {
        var live = new HashSet<Node>();
        var stack = new Stack<Node>(g.Outputs.Select(o => o.Node).Concat(g.Effects).Concat(g.Inputs));
        while (stack.Count > 0)
        {
            var n = stack.Pop();
            if (!live.Add(n)) continue;
            foreach (var i in n.Inputs) stack.Push(i);
        }
        return GraphRewriter.Rewrite(g, (b, n, inputs) => null, live.Contains);
    }

    /// <summary>The value of a splat constant, also seen through broadcast_like.</summary>
    private static double? Splat(Node x) => x.Op is BroadcastLike ? Splat(x.Inputs[0]) : Ops.Constant.SplatValue(x);

    private static int[] ToInts(Shape s) => s.Select(d => d.Size).ToArray();
}
