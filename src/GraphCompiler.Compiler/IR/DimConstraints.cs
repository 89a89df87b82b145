using GraphCompiler.Compiler.Model;
using GraphCompiler.Compiler.Passes;

namespace GraphCompiler.Compiler.IR;

/// <summary>
/// Relations between dimension hyperparameters and other sizes that the graph needs (the inner dims of
/// a product <c>[batch, Dim]·[128, 10]</c> need <c>Dim == 128</c>), collected while a model is lowered.
/// A relation that holds for every value needs nothing; one that depends on the value is recorded and
/// becomes a check in the generated constructor; one that no value satisfies (<c>Dim == 128</c> and
/// <c>Dim == 64</c>, or <c>Dim == 0</c> for a dimension that is at least 1) is refused, so the op reports
/// its shape error at build time. Once lowering ends, <see cref="Substitute"/> writes each related
/// symbol as its representative, so every later pass sees equal dims.
/// </summary>
public sealed class DimConstraints
{
    [ThreadStatic] private static DimConstraints? _active;

    private readonly HashSet<string> _hypers;
    private readonly Dictionary<string, string> _parent = new(StringComparer.Ordinal);
    private readonly List<Relation> _relations = new();

    /// <summary>One recorded relation: <see cref="Left"/> must equal <see cref="Right"/> for <see cref="Where"/>.</summary>
    public sealed record Relation(Dim Left, Dim Right, string Where);

    private DimConstraints(IEnumerable<string> hyperDims) => _hypers = new HashSet<string>(hyperDims, StringComparer.Ordinal);

    /// <summary>The relations recorded, in the order the ops met them.</summary>
    public IReadOnlyList<Relation> Relations => _relations;

    /// <summary>Collects the relations of the ops built on this thread until the returned scope is disposed.</summary>
    public static DimConstraints Begin(IEnumerable<string> hyperDims)
    {
        var c = new DimConstraints(hyperDims);
        _active = c;
        return c;
    }

    /// <summary>Counts <paramref name="symbol"/> (a derived dimension such as <c>Dim_times_2</c>) among the hyperparameters being collected.</summary>
    public static void AddHyper(string symbol) => _active?._hypers.Add(symbol);

    /// <summary>Stops collecting on this thread.</summary>
    public void End()
    {
        if (ReferenceEquals(_active, this)) _active = null;
    }

    /// <summary>
    /// True when <paramref name="a"/> and <paramref name="b"/> are the same dim, or may be made equal by the
    /// hyperparameters being collected (then the relation is recorded for the constructor to check).
    /// <paramref name="where"/> says which op needs it, for the constructor's error.
    /// </summary>
    public static bool Match(Dim a, Dim b, string where) => a == b || (_active?.Unify(a, b, where) ?? false);

    /// <summary>Why <paramref name="a"/> and <paramref name="b"/> cannot be equal, when collected relations decide it; else "".</summary>
    public static string Why(Dim a, Dim b)
    {
        var c = _active;
        if (c is null || !(c.IsHyper(a) || c.IsHyper(b))) return "";
        if (!(a.IsStatic || c.IsHyper(a)) || !(b.IsStatic || c.IsHyper(b))) return "; a hyperparameter is never related to a dimension known only at call time";
        if ((a.IsStatic && a.Size == 0) || (b.IsStatic && b.Size == 0)) return "; a dimension hyperparameter is at least 1";
        foreach (var dim in new[] { a, b })
            if (c.IsHyper(dim) && c.Root(Key(dim)) != Key(dim)) return $"; the hyperparameter {dim} must already equal {Describe(c.Root(Key(dim)))}";
        return "";
    }

    private bool IsHyper(Dim d) => !d.IsStatic && _hypers.Contains(d.Symbol!);

    private static string Key(Dim d) => d.IsStatic ? "#" + d.Size.ToString(System.Globalization.CultureInfo.InvariantCulture) : d.Symbol!;

    private static string Describe(string key) => key.StartsWith("#", StringComparison.Ordinal) ? key.Substring(1) : key;

    private string Root(string key)
    {
        while (_parent.TryGetValue(key, out var up)) key = up;
        return key;
    }

    private bool Unify(Dim a, Dim b, string where)
    {
        // Call-time symbols are never related to hyperparameters: that would be a check at every call.
        if (!(IsHyper(a) || IsHyper(b)) || !(a.IsStatic || IsHyper(a)) || !(b.IsStatic || IsHyper(b))) return false;
        if ((a.IsStatic && a.Size == 0) || (b.IsStatic && b.Size == 0)) return false;
        string ra = Root(Key(a)), rb = Root(Key(b));
        if (ra != rb)
        {
            bool sa = ra.StartsWith("#", StringComparison.Ordinal), sb = rb.StartsWith("#", StringComparison.Ordinal);
            if (sa && sb) return false;
            // A static size stays the root, so the representative of a class is its size when it has one.
            if (sa) _parent[rb] = ra;
            else _parent[ra] = rb;
        }
        // The hyperparameter reads first: Dim == 128, not 128 == Dim.
        if (a.IsStatic) (a, b) = (b, a);
        if (!_relations.Any(r => (r.Left == a && r.Right == b) || (r.Left == b && r.Right == a))) _relations.Add(new Relation(a, b, where));
        return true;
    }

    /// <summary>Each related hyperparameter's representative: its class's static size, else the class's first symbol in <paramref name="order"/>.</summary>
    public Dictionary<string, Dim> Representatives(IReadOnlyList<string> order)
    {
        var map = new Dictionary<string, Dim>(StringComparer.Ordinal);
        foreach (var h in order)
        {
            var root = Root(h);
            if (root == h && !_parent.Values.Contains(h)) continue;
            map[h] = root.StartsWith("#", StringComparison.Ordinal)
                ? Dim.Of(int.Parse(root.Substring(1), System.Globalization.CultureInfo.InvariantCulture))
                : Dim.Sym(order.First(o => Root(o) == root));
        }
        foreach (var key in map.Where(kv => !kv.Value.IsStatic && kv.Value.Symbol == kv.Key).Select(kv => kv.Key).ToList()) map.Remove(key);
        return map;
    }

    /// <summary><paramref name="shape"/> with each symbol of <paramref name="map"/> replaced.</summary>
    public static Shape Substitute(Shape shape, IReadOnlyDictionary<string, Dim> map) =>
        new(shape.Select(d => !d.IsStatic && map.TryGetValue(d.Symbol!, out var r) ? r : d));

    /// <summary><paramref name="g"/> rebuilt with every related symbol written as its representative (inputs and variables; the rest follows by shape inference).</summary>
    public static Graph Substitute(Graph g, IReadOnlyDictionary<string, Dim> map)
    {
        var variables = g.Variables.ToDictionary(kv => kv.Key, kv => kv.Value with { Shape = Substitute(kv.Value.Shape, map) });
        var b = new GraphBuilder(g.Name, variables);
        var nodes = GraphRewriter.Copy(g, b, (builder, n, inputs) =>
            n.OpName == "input" ? builder.Input(n.Attrs.GetString("name"), n.DType, Substitute(n.Shape, map)) : null);
        foreach (var o in g.Outputs) b.AddOutput(o.Name, nodes[o.Node]);
        foreach (var e in g.Effects) b.AddEffect(nodes[e]);
        return b.Build();
    }

    /// <summary>An entry point with its graph and placeholders rewritten by <see cref="Substitute(Graph, IReadOnlyDictionary{string, Dim})"/>.</summary>
    public static EntryPoint Substitute(EntryPoint e, IReadOnlyDictionary<string, Dim> map) =>
        map.Count == 0 ? e : e with
        {
            Graph = Substitute(e.Graph, map),
            Parameters = e.Parameters.Select(p => p with { Shape = Substitute(p.Shape, map) }).ToList(),
        };

    /// <summary>The text form of a relation: <c>constraint Dim 128 "matmul of …"</c>.</summary>
    public static string ToText(Relation r) => "constraint " + r.Left + " " + r.Right + " " + Attrs.FormatValue(r.Where);

    /// <summary>Reads <see cref="ToText"/>; null for any other line.</summary>
    public static Relation? Parse(string line)
    {
        if (!line.StartsWith("constraint ", StringComparison.Ordinal)) return null;
        var parts = line.Split(new[] { ' ' }, 4);
        static Dim D(string s) => int.TryParse(s, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var n) ? Dim.Of(n) : Dim.Sym(s);
        var where = parts[3].Substring(1, parts[3].Length - 2).Replace("\\\"", "\"").Replace("\\\\", "\\");
        return new Relation(D(parts[1]), D(parts[2]), where);
    }
}
