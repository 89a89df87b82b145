using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Kernels;

namespace GraphCompiler.Compiler.Emit;

public static partial class Fusion
{
    /// <summary>
    /// A group opened for every concat along the last axis of same-shaped pieces, before the elementwise
    /// nodes are grouped: its pieces (and what they are computed from) then gather in it as they would in
    /// a consumer's group, although the concat is not elementwise. An LSTM step's four gate gradients,
    /// each read only by the concat, so end up in one kernel.
    /// </summary>
    private static Dictionary<Node, int> ColumnStoreGroups(Graph g, List<List<Node>> groups)
    {
        var opened = new Dictionary<Node, int>();
        foreach (var c in g.Nodes)
        {
            if (ColumnWindow.ConcatOffsets(c) is null || c.Inputs.Distinct().Count() != c.Inputs.Count) continue;
            if (c.Inputs.Any(i => !i.Shape.Equals(c.Inputs[0].Shape) || i.DType != c.DType)) continue;
            opened[c] = groups.Count;
            groups.Add(new List<Node>());
        }
        return opened;
    }

    /// <summary>
    /// Column stores: a concat whose pieces all ended up in its group joins it, and the kernel stores each
    /// piece straight into its columns of the concat's buffer (an LSTM step's gate gradients into one
    /// [batch, 4·units] gradient); the pieces are stored on their own only when something else reads them.
    /// Not when the concat's value flows back into the kernel (a cycle). Otherwise the concat stays a copy.
    /// </summary>
    private static void FuseColumnStores(Dictionary<Node, int> opened, Dictionary<Node, int> group, List<List<Node>> groups, Dictionary<Node, List<Node>> consumers)
    {
        foreach (var (c, gi) in opened.Select(kv => (kv.Key, kv.Value)))
        {
            if (c.Inputs.Any(i => !group.TryGetValue(i, out var gj) || gj != gi)) continue;
            // Every member iterates over the pieces' space (a group's members share one shape).
            var space = c.Inputs[0].Shape;
            if (groups[gi].Any(m => m.Op is not Ops.Constant && !m.Shape.Equals(space)) || Reaches(c, gi, group, groups, consumers)) continue;
            groups[gi].Add(c);
            group[c] = gi;
        }
    }

    /// <summary>True when <paramref name="n"/> is a concat that fused kernel <paramref name="k"/> performs as stores into column windows.</summary>
    internal static bool IsColumnStore(Kernel k, Node n) => k.IsFused && k.RowSpace is null && n.Op is Ops.Concat;
}
