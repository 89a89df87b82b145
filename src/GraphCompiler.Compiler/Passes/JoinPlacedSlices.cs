using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Passes;

/// <summary>
/// The gradient of a tensor read through disjoint slices (an LSTM's four gates of one product, the time
/// steps of an unstacked sequence) comes out of autodiff as a sum of placements: each slice's gradient
/// put into zeros of the full shape (strided_slice_grad), then added up. When the slices tile one axis
/// exactly, that sum is the concat of their gradients along it: one pass that writes each element once,
/// instead of a zero fill and an add per piece. Pieces placed at one window (a weight slice read at
/// every time step) are summed before they are placed, once.
/// </summary>
public static class JoinPlacedSlices
{
    public static Graph JoinPlacedSlicesPass(Graph g) => RewriteSums(g, Join);

    /// <summary>A sum rewrite: the rule sees each node, the original graph's readers and the rewritten node of every earlier one.</summary>
    internal delegate Node? SumRule(GraphBuilder b, Node root, Dictionary<Node, List<Node>> consumers, HashSet<Node> outputs, Dictionary<Node, Node> rewritten);

    /// <summary>Runs <paramref name="rule"/> over <paramref name="g"/>, keeping the new node of each old one for rules that reach past a node's own inputs.</summary>
    internal static Graph RewriteSums(Graph g, SumRule rule)
    {
        var consumers = g.Consumers();
        var outputs = new HashSet<Node>(g.Outputs.Select(o => o.Node));
        var rewritten = new Dictionary<Node, Node>();
        return GraphRewriter.Rewrite(g, (b, n, inputs) =>
        {
            var result = rule(b, n, consumers, outputs, rewritten) ?? GraphRewriter.Clone(b, n, inputs);
            rewritten[n] = result;
            return result;
        });
    }

    private static Node? Join(GraphBuilder b, Node root, Dictionary<Node, List<Node>> consumers, HashSet<Node> outputs, Dictionary<Node, Node> rewritten)
    {
        var leaves = Summands(root, consumers, outputs);
        if (leaves is null) return null;
        int axis = -1;
        // Pieces placed at the same window (a weight slice read at every time step) are summed first, in
        // the order the placements were: elementwise the very additions of the placed sum, without the zeros.
        var windows = new SortedDictionary<int, List<Node>>();
        foreach (var leaf in leaves)
        {
            if (leaf.OpName != "strided_slice_grad" || leaf.DType != root.DType || !leaf.Shape.Equals(root.Shape)) return null;
            if (Placement(leaf) is not { } at || (axis >= 0 && at.Axis != axis)) return null;
            axis = at.Axis;
            if (!windows.TryGetValue(at.Begin, out var same)) windows[at.Begin] = same = new List<Node>();
            if (same.Count > 0 && !same[0].Inputs[0].Shape.Equals(leaf.Inputs[0].Shape)) return null; // overlapping windows
            same.Add(leaf);
        }
        var pieces = windows.ToDictionary(w => w.Key, w => w.Value.Select(l => rewritten[l.Inputs[0]]).Aggregate(b.Add));
        int covered = 0;
        foreach (var w in windows)
        {
            if (w.Key != covered) break; // a gap or an overlap
            covered += w.Value[0].Inputs[0].Shape[axis].Size;
        }
        if (covered == root.Shape[axis].Size && windows.Count > 1)
            return b.Apply("concat", windows.Keys.Select(k => pieces[k]).ToArray(), Attrs.Of(("axis", axis)));
        // One window read several times: one placement of the summed pieces.
        if (windows.Count == 1)
        {
            var leaf = windows.Values.First()[0];
            return b.Apply("strided_slice_grad", new[] { pieces[windows.Keys.First()] }, leaf.Attrs);
        }
        return null;
    }

    /// <summary>
    /// The summands of the add tree rooted at <paramref name="root"/>, in order: through adds of the same
    /// shape that nothing but the sum reads (autodiff's chain of partial sums). Null when it is no sum of several.
    /// </summary>
    internal static List<Node>? Summands(Node root, Dictionary<Node, List<Node>> consumers, HashSet<Node> outputs)
    {
        if (root.OpName != "add") return null;
        var leaves = new List<Node>();
        void Collect(Node n, bool isRoot)
        {
            if (n.OpName == "add" && (isRoot || (consumers[n].Count == 1 && !outputs.Contains(n))) && n.Inputs.All(i => i.Shape.Equals(root.Shape)))
                foreach (var i in n.Inputs) Collect(i, false);
            else leaves.Add(n);
        }
        Collect(root, true);
        return leaves.Count < 2 ? null : leaves;
    }

    /// <summary>
    /// Where strided_slice_grad <paramref name="n"/> puts its input: unit strides, whole along every axis
    /// but one static axis, where it starts at Begin. Null for any other placement.
    /// </summary>
    private static (int Axis, int Begin)? Placement(Node n)
    {
        var begin = n.Attrs.GetInts("begin");
        var full = n.Shape;
        var piece = n.Inputs[0].Shape;
        if (n.Attrs.GetInts("strides").Any(s => s != 1) || piece.Rank != full.Rank) return null;
        int axis = -1;
        for (int a = 0; a < full.Rank; a++)
        {
            if (piece[a] == full[a] && begin[a] == 0) continue;
            if (axis >= 0 || !full[a].IsStatic || !piece[a].IsStatic) return null;
            axis = a;
        }
        if (axis < 0) return null;
        int start = begin[axis] < 0 ? begin[axis] + full[axis].Size : begin[axis];
        return start >= 0 ? (axis, start) : null;
    }
}
