using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Emit;

/// <summary>
/// Emits the typed variable set: nested classes mirroring the scope tree, so that
/// <c>two_layers/h1/weights</c> reads as <c>Variables.TwoLayers.H1.Weights</c>.
/// </summary>
internal static class VariableSetEmitter
{
    private sealed class Scope
    {
        public readonly SortedDictionary<string, Scope> Children = new(StringComparer.Ordinal);
        public readonly List<VariableInfo> Leaves = new();
    }

    /// <summary>
    /// The set's class. Shapes may name the model's dimension hyperparameters <paramref name="hyperDims"/>,
    /// which its constructor then takes (as the model's constructor bound them).
    /// </summary>
    public static string Emit(string className, IReadOnlyList<VariableInfo> variables, IReadOnlyList<string>? hyperDims = null)
    {
        var root = Tree(variables);
        var lines = new List<string>
        {
            "/// <summary>The variables of the model by scope; also enumerable and indexable by full name.</summary>",
            $"public sealed class {className} : VariableSet",
            "{",
            $"    internal {className}({string.Join(", ", (hyperDims ?? Array.Empty<string>()).Select(h => "int " + h))})",
            "    {",
        };
        foreach (var v in variables)
            lines.Add($"        Add(new Variable<{v.DType.CSharpName()}>({CSharpNames.StringLiteral(v.Name)}, new int[] {{ {string.Join(", ", v.Shape.Select(d => d.IsStatic ? d.Size.ToString(System.Globalization.CultureInfo.InvariantCulture) : d.Symbol))} }}, trainable: {(v.Trainable ? "true" : "false")}));");
        lines.Add("    }");
        lines.AddRange(ScopeMembers(root, "this", "", 1, new List<string> { className }, SetMembers));
        lines.Add("}");
        return string.Join("\n", lines);
    }

    /// <summary>
    /// The typed members of a set of <paramref name="leaf"/>&lt;T&gt; values (a gradient set) that mirrors
    /// the variable scopes: <c>two_layers/h1/weights</c> reads as <c>TwoLayers.H1.Weights</c>.
    /// </summary>
    internal static IEnumerable<string> MirrorMembers(string className, IReadOnlyList<VariableInfo> variables, string leaf, string setType, string[] inherited) =>
        ScopeMembers(Tree(variables), "this", "", 1, new List<string> { className }, inherited, leaf, setType);

    private static Scope Tree(IReadOnlyList<VariableInfo> variables)
    {
        var root = new Scope();
        foreach (var v in variables)
        {
            var parts = v.Name.Split('/');
            var s = root;
            for (int i = 0; i < parts.Length - 1; i++)
            {
                if (!s.Children.TryGetValue(parts[i], out var child)) s.Children[parts[i]] = child = new Scope();
                s = child;
            }
            s.Leaves.Add(v);
        }
        return root;
    }

    /// <summary>
    /// Members of the runtime's <c>VariableSet</c> (and of <c>object</c>) that a generated member must
    /// not hide: a variable named <c>count</c> or <c>get_enumerator</c> would otherwise be a warning, an
    /// error under warnings-as-errors. <c>Item</c> is the indexer's name.
    /// </summary>
    internal static readonly string[] SetMembers =
        { "Count", "Item", "TryGet", "Contains", "Names", "Add", "GetEnumerator", "Equals", "GetHashCode", "GetType", "ToString", "MemberwiseClone", "Finalize" };

    /// <summary>Members a scope struct inherits from <c>ValueType</c>.</summary>
    private static readonly string[] StructMembers = { "Equals", "GetHashCode", "GetType", "ToString", "MemberwiseClone", "Finalize" };

    /// <summary>
    /// The members of one scope. Names are kept apart from each other, from the inherited members and
    /// from every enclosing type's name (a member or nested type named like its enclosing type does
    /// not compile, e.g. a scope <c>block</c> inside a scope <c>block</c>).
    /// </summary>
    private static IEnumerable<string> ScopeMembers(Scope scope, string set, string prefix, int depth, List<string> enclosing, string[] inherited, string leaf = "Variable", string setType = "VariableSet")
    {
        var pad = new string(' ', 4 * depth);
        var used = new HashSet<string>(inherited.Concat(enclosing), StringComparer.Ordinal);
        foreach (var v in scope.Leaves)
        {
            var local = v.Name.Substring(prefix.Length);
            var name = Unique(CSharpNames.Pascal(local), used);
            yield return "";
            yield return $"{pad}/// <summary><c>{v.Name}</c>: {v.DType.ShortName()}{v.Shape}{(v.Trainable ? "" : ", not trainable")}.</summary>";
            yield return $"{pad}public {leaf}<{v.DType.CSharpName()}> {name} => ({leaf}<{v.DType.CSharpName()}>){set}[{CSharpNames.StringLiteral(v.Name)}];";
        }
        foreach (var kv in scope.Children)
        {
            var name = Unique(CSharpNames.Pascal(kv.Key), used);
            var cls = Unique(name + "Scope", used);
            var full = prefix + kv.Key + "/";
            yield return "";
            yield return $"{pad}/// <summary>The variables under <c>{full}</c>.</summary>";
            yield return $"{pad}public {cls} {name} => new({(set == "this" ? "this" : set)});";
            yield return "";
            yield return $"{pad}public readonly struct {cls}";
            yield return $"{pad}{{";
            yield return $"{pad}    private readonly {setType} _set;";
            yield return $"{pad}    internal {cls}({setType} set) => _set = set;";
            foreach (var line in ScopeMembers(kv.Value, "_set", full, depth + 1, enclosing.Append(cls).ToList(), StructMembers, leaf, setType)) yield return line;
            yield return $"{pad}}}";
        }
    }

    private static string Unique(string name, HashSet<string> used) => CSharpNames.Unique(name, used, first: 1);
}
