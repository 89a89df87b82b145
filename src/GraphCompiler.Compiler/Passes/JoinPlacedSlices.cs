using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Passes;

/// <summary>
/// The gradient of a tensor read through disjoint slices (an LSTM's four gates of one product, the time
/// steps of an unstacked sequence) comes out of autodiff as a sum of placements: each slice's gradient
/// put into zeros of the full shape (strided_slice_grad), then added up. When the slices tile one axis
/// exactly, that sum is the concat of their gradients along it: one pass that writes each element once,
/// instead of a zero fill and an add per piece.
/// </summary>
public static class JoinPlacedSlices
{
    public static Graph JoinPlacedSlicesPass(Graph g)
    {
        var consumers = g.Consumers();
        var outputs = new HashSet<Node>(g.Outputs.Select(o => o.Node));
        var rewritten = new Dictionary<Node, Node>();
        return GraphRewriter.Rewrite(g, (b, n, inputs) =>
        {
            var result = Join(b, n, consumers, outputs, rewritten) ?? GraphRewriter.Clone(b, n, inputs);
            rewritten[n] = result;
            return result;
        });
    }

    private static Node? Join(GraphBuilder b, Node root, Dictionary<Node, List<Node>> consumers, HashSet<Node> outputs, Dictionary<Node, Node> rewritten)
    {
        if (root.OpName != "add") return null;
        var leaves = new List<Node>();
        // The summands: through adds that nothing but the sum reads (autodiff's chain of partial sums).
        void Collect(Node n, bool isRoot)
        {
            if (n.OpName == "add" && (isRoot || (consumers[n].Count == 1 && !outputs.Contains(n))) && n.Inputs.All(i => i.Shape.Equals(root.Shape)))
                foreach (var i in n.Inputs) Collect(i, false);
            else leaves.Add(n);
        }
        Collect(root, true);
        if (leaves.Count < 2) return null;
        int axis = -1;
        var placed = new List<(int Begin, Node Piece)>();
        foreach (var leaf in leaves)
        {
            if (leaf.OpName != "strided_slice_grad" || leaf.DType != root.DType || !leaf.Shape.Equals(root.Shape)) return null;
            if (Placement(leaf) is not { } at || (axis >= 0 && at.Axis != axis)) return null;
            axis = at.Axis;
            placed.Add((at.Begin, leaf.Inputs[0]));
        }
        placed.Sort((x, y) => x.Begin.CompareTo(y.Begin));
        int covered = 0;
        foreach (var (begin, piece) in placed)
        {
            if (begin != covered) return null; // a gap or an overlap
            covered += piece.Shape[axis].Size;
        }
        if (covered != root.Shape[axis].Size) return null;
        return b.Apply("concat", placed.Select(p => rewritten[p.Piece]).ToArray(), Attrs.Of(("axis", axis)));
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
