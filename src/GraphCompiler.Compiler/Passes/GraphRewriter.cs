using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Passes;

/// <summary>
/// The one mechanism every rewriting pass uses: walk the nodes in order, give each rule the node
/// with its already-rewritten inputs, and rebuild outputs and effects on the results.
/// </summary>
public static class GraphRewriter
{
    /// <summary>
    /// A rule returns the replacement of <paramref name="node"/> built with <paramref name="b"/>
    /// from <paramref name="inputs"/> (the rewritten inputs), or null to copy the node unchanged.
    /// </summary>
    public delegate Node? Rule(GraphBuilder b, Node node, IReadOnlyList<Node> inputs);

    public static Graph Rewrite(Graph g, Rule rule, Func<Node, bool>? keep = null)
    {
        var b = new GraphBuilder(g.Name, g.Variables.ToDictionary(kv => kv.Key, kv => kv.Value));
        var map = Copy(g, b, rule, keep);
        foreach (var o in g.Outputs) b.AddOutput(o.Name, map[o.Node]);
        foreach (var e in g.Effects)
            if (map.TryGetValue(e, out var ne)) b.AddEffect(ne);
        return b.Build();
    }

    /// <summary>Copies the nodes of <paramref name="g"/> into <paramref name="b"/>, returning old → new.</summary>
    public static Dictionary<Node, Node> Copy(Graph g, GraphBuilder b, Rule? rule = null, Func<Node, bool>? keep = null)
    {
        var map = new Dictionary<Node, Node>();
        foreach (var n in g.Nodes)
        {
            if (keep is not null && !keep(n)) continue;
            var inputs = n.Inputs.Select(i => map[i]).ToArray();
            b.CurrentSource = n.Source;
            map[n] = rule?.Invoke(b, n, inputs) ?? Clone(b, n, inputs);
        }
        b.CurrentSource = null;
        return map;
    }

    /// <summary>The node rebuilt on new inputs, keeping its op, attributes and name.</summary>
    public static Node Clone(GraphBuilder b, Node n, IReadOnlyList<Node> inputs) => n.OpName switch
    {
        "input" => b.Input(n.Attrs.GetString("name"), n.DType, n.Shape),
        "variable" => b.ReadVariable(n.Attrs.GetString("name")),
        _ => b.Apply(n.Op, inputs, n.Attrs, LocalName(n.Name)),
    };

    /// <summary>Drops nothing of the scoped name: the builder adds no prefix while copying.</summary>
    private static string LocalName(string name) => name;
}
