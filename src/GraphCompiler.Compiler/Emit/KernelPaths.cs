using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Emit;

/// <summary>
/// Paths between kernels while fusion is planned. Paths are followed between kernels, not just nodes:
/// reaching any member of a multi-node kernel (a group, or the partner of a pair) reaches all of it,
/// because it runs as one kernel. So a group that mixes early and late nodes (a forward value fused with
/// a gradient of the same shape) cannot close a kernel-level cycle that no node-level path shows.
/// </summary>
internal static class KernelPaths
{
    /// <summary>
    /// True when a walk from <paramref name="starts"/> along <paramref name="edges"/> (each node's
    /// consumers or readers) meets a node where <paramref name="found"/> holds. The groups in
    /// <paramref name="notEntered"/> are not spread to all their members when one of them is reached.
    /// </summary>
    public static bool Finds(IEnumerable<Node> starts, Func<Node, bool> found, Dictionary<Node, List<Node>> edges,
        Dictionary<Node, int> group, List<List<Node>> groups, IEnumerable<int>? notEntered = null, Dictionary<Node, Node>? partner = null)
    {
        var seen = new HashSet<Node>();
        var expanded = new HashSet<int>(notEntered ?? []);
        var stack = new Stack<Node>(starts);
        while (stack.Count > 0)
        {
            var x = stack.Pop();
            if (!seen.Add(x)) continue;
            if (found(x)) return true;
            if (group.TryGetValue(x, out var k) && expanded.Add(k))
                foreach (var member in groups[k]) stack.Push(member);
            if (partner is not null && partner.TryGetValue(x, out var other)) stack.Push(other);
            foreach (var c in edges[x]) stack.Push(c);
        }
        return false;
    }
}
