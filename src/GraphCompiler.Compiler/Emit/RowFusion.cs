using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Kernels;
using GraphCompiler.Compiler.Ops;

namespace GraphCompiler.Compiler.Emit;

/// <summary>
/// Reductions with their elementwise epilogue: row kernels. Every node of a row kernel lives over a
/// common [rows, inner] space (inner = the last axis): elementwise nodes over the whole row, last-axis
/// reductions (reduce_sum/max/min, a sum_to_like that sums only the last axis) to one value per row,
/// elementwise nodes and [rows] ↔ [rows, 1] reshapes over those row values, and broadcasts of them
/// back over the row; an element node may read any broadcast to the space (an attention mask) from a
/// base offset per row. A softmax, a log-softmax with its cross-entropy, or a layer's mean and variance
/// with the normalisation then run in a few passes over each row while it sits in L1, instead of a
/// kernel (and an array round trip) per step.
/// </summary>
internal static class RowFusion
{
    /// <summary>
    /// Grows row kernels from the last-axis reductions of <paramref name="g"/>: each reduction starts a
    /// group, which absorbs neighbouring elementwise groups, reshapes and other row groups while the
    /// union is a valid row kernel (<see cref="Roles"/>) and creates no kernel-level cycle. A group
    /// that ends up a plain reduction with its prologue and no epilogue is handed back (the reduction
    /// tail or the library call does that as before). Paths follow <paramref name="readers"/>, the
    /// consumers that read a value: a shape source (the batch size of a mean) orders nothing, so a
    /// loss and its gradient can share a row kernel. Returns the indices of the row groups.
    /// </summary>
    public static HashSet<int> Merge(Graph g, Dictionary<Node, int> group, List<List<Node>> groups, Dictionary<Node, List<Node>> readers, HashSet<Node> excluded)
    {
        var rowGroups = new HashSet<int>();
        foreach (var r in g.Nodes)
        {
            if (excluded.Contains(r) || group.ContainsKey(r) || SeedSpace(r) is null) continue;
            group[r] = groups.Count;
            groups.Add(new List<Node> { r });
            rowGroups.Add(groups.Count - 1);
        }
        for (bool changed = true; changed;)
        {
            changed = false;
            foreach (var gi in rowGroups.OrderBy(i => i).ToList())
                while (rowGroups.Contains(gi) && TryAbsorbNeighbour(gi, group, groups, readers, excluded, rowGroups))
                    changed = true;
        }
        foreach (var gi in rowGroups.ToList())
            if (!HasEpilogue(groups[gi], readers))
            {
                // A reduction with only its prologue: the existing paths handle it as they did.
                foreach (var r in groups[gi].Where(m => SeedSpace(m) is not null).ToList())
                {
                    groups[gi].Remove(r);
                    group.Remove(r);
                }
                rowGroups.Remove(gi);
            }
        return rowGroups;
    }

    /// <summary>The [rows, inner] shape of a row kernel: its reduction's input shape.</summary>
    public static Shape SpaceOf(IEnumerable<Node> members) => members.Select(SeedSpace).First(s => s is not null)!;

    /// <summary>
    /// The role of every member in the row space <paramref name="space"/>, or null when some member
    /// does not fit it: an op other than an elementwise op, a broadcast, a row-value reshape or a
    /// last-axis reduction; a shape that is neither the row space nor one value per row; or an input
    /// read in a way the row kernel does not index (a general broadcast).
    /// </summary>
    public static Dictionary<Node, RowRole>? Roles(IReadOnlyCollection<Node> members, Shape space)
    {
        var rowValue = RowValueShape(space);
        var roles = new Dictionary<Node, RowRole>();
        foreach (var m in members)
        {
            if (IsLastAxisReduction(m, space)) roles[m] = RowRole.Reduce;
            else if (m.Op is not (ElementwiseOp or BroadcastLike or Reshape)) return null;
            else if (m.Shape.Equals(space) && m.Op is not Reshape) roles[m] = RowRole.Element;
            else if (IsRowValueShape(m.Shape, space)) roles[m] = RowRole.RowValue;
            else return null;
        }
        foreach (var m in members)
            foreach (var i in ReadInputs(m))
            {
                bool inside = roles.TryGetValue(i, out var ir);
                bool single = i.Shape.IsStatic && i.Shape.StaticElementCount == 1;
                bool ok = (roles[m], m.Op) switch
                {
                    (RowRole.Reduce, _) => inside ? ir == RowRole.Element : i.Shape.Equals(space),
                    (RowRole.Element, _) => inside
                        ? ir == RowRole.Element || i.Shape.Equals(rowValue)
                        : i.Shape.Equals(space) || single || i.Shape.Equals(rowValue) || IsRowBroadcast(i.Shape, space) || IsStridedRows(i.Shape, space),
                    (RowRole.RowValue, Reshape) => inside ? ir != RowRole.Element : IsRowValueShape(i.Shape, space),
                    _ => (!inside || ir != RowRole.Element) && (i.Shape.Equals(m.Shape) || single),
                };
                if (!ok) return null;
            }
        return roles;
    }

    /// <summary>
    /// The inputs whose values a node reads: not the shape sources of broadcast_like, sum_to_like and
    /// element_count, which need no storage (a kernel does not store a value only they refer to).
    /// </summary>
    public static IEnumerable<Node> ReadInputs(Node m) => m.Op switch
    {
        BroadcastLike or SumToLike => new[] { m.Inputs[0] },
        ElementCount => Array.Empty<Node>(),
        _ => m.Inputs,
    };

    /// <summary>[rows..., 1]: the keepdims shape of one value per row.</summary>
    public static Shape RowValueShape(Shape space) => new(space.Take(space.Rank - 1).Append(Dim.Of(1)));

    /// <summary>A bias along the row: the last dim is inner, every other dim 1.</summary>
    public static bool IsRowBroadcast(Shape s, Shape space) =>
        s.Rank >= 1 && s.Rank <= space.Rank && s[s.Rank - 1] == space[space.Rank - 1] && s.Take(s.Rank - 1).All(d => d.IsStatic && d.Size == 1);

    /// <summary>
    /// Any other broadcast to the space whose last dim is the row's or 1 (an attention mask [batch, 1, 1, keys] under
    /// logits [batch, heads, queries, keys], a causal band [queries, keys]): read from a base computed once per row.
    /// </summary>
    public static bool IsStridedRows(Shape s, Shape space)
    {
        if (s.Rank < 1 || s.Rank > space.Rank || s.Equals(space)) return false;
        for (int a = 1; a <= s.Rank; a++)
        {
            Dim small = s[s.Rank - a], big = space[space.Rank - a];
            if (small != big && !(small.IsStatic && small.Size == 1)) return false;
        }
        return true;
    }

    private static bool IsRowValueShape(Shape s, Shape space) =>
        s.Equals(RowValueShape(space)) || s.Equals(new Shape(space.Take(space.Rank - 1)));

    /// <summary>The row space a node can start a row kernel from: a float last-axis reduction over a rank ≥ 2 input.</summary>
    private static Shape? SeedSpace(Node n)
    {
        if (n.Inputs.Count == 0) return null;
        var space = n.Inputs[0].Shape;
        return space.Rank >= 2 && IsLastAxisReduction(n, space) ? space : null;
    }

    /// <summary>reduce_sum/max/min over exactly the last axis, or a sum_to_like that sums only the last axis.</summary>
    private static bool IsLastAxisReduction(Node n, Shape space)
    {
        if (n.Inputs.Count == 0 || !n.Inputs[0].Shape.Equals(space) || n.DType is not (DType.Float32 or DType.Float64)) return false;
        if (n.Op is SumToLike) return n.Shape.Equals(RowValueShape(space)) && !(space[space.Rank - 1].IsStatic && space[space.Rank - 1].Size == 1);
        if (n.Op.Fold is not (ReductionFold.Sum or ReductionFold.Max or ReductionFold.Min)) return false; // row kernels fold no products
        var axes = n.Attrs.GetInts("axes");
        return axes.Length == 1 && axes[0] == space.Rank - 1 && IsRowValueShape(n.Shape, space);
    }

    /// <summary>
    /// A row group has an epilogue (and stays one) when something in it reads a reduced value or a
    /// row value, or it holds more than one reduction; otherwise it is a prologue and its reduction.
    /// </summary>
    private static bool HasEpilogue(List<Node> members, Dictionary<Node, List<Node>> readers)
    {
        var set = new HashSet<Node>(members);
        var space = SpaceOf(members);
        var roles = Roles(members, space)!;
        return roles.Values.Count(r => r == RowRole.Reduce) > 1 || roles.Values.Contains(RowRole.RowValue)
            || members.Any(m => roles[m] == RowRole.Reduce && readers[m].Any(set.Contains));
    }

    /// <summary>Merges one neighbour of row group <paramref name="gi"/> into it when that is valid; false when none qualifies.</summary>
    private static bool TryAbsorbNeighbour(int gi, Dictionary<Node, int> group, List<List<Node>> groups, Dictionary<Node, List<Node>> readers, HashSet<Node> excluded, HashSet<int> rowGroups)
    {
        var members = groups[gi];
        var space = SpaceOf(members);
        var neighbours = members.SelectMany(m => ReadInputs(m).Concat(readers[m])).Distinct().OrderBy(n => n.Id).ToList();
        foreach (var n in neighbours)
        {
            if (excluded.Contains(n)) continue;
            int hi = group.TryGetValue(n, out var k) ? k : -1;
            if (hi == gi || (hi < 0 && n.Op is not Reshape)) continue;
            var other = hi >= 0 ? groups[hi] : new List<Node> { n };
            var union = new HashSet<Node>(members.Concat(other));
            if (Roles(union, space) is null || WouldCycle(union, group, groups, readers)) continue;
            foreach (var m in other) group[m] = gi;
            members.AddRange(other);
            if (hi >= 0)
            {
                groups[hi] = new List<Node>();
                rowGroups.Remove(hi);
            }
            return true;
        }
        return false;
    }

    /// <summary>
    /// True when a path leaves <paramref name="union"/> and comes back into it: merging would make the
    /// kernel depend on itself (a kernel-level path, see <see cref="KernelPaths"/>).
    /// </summary>
    private static bool WouldCycle(HashSet<Node> union, Dictionary<Node, int> group, List<List<Node>> groups, Dictionary<Node, List<Node>> readers) =>
        KernelPaths.Finds(union.SelectMany(m => readers[m]).Where(c => !union.Contains(c)), union.Contains, readers, group, groups,
            notEntered: union.Where(group.ContainsKey).Select(m => group[m]));
}
