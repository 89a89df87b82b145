using GraphCompiler.Compiler.IR;
using GraphCompiler.Generator.Pipeline;
using Microsoft.CodeAnalysis;

namespace GraphCompiler.Generator.Lowering;

/// <summary>A variable of the model with where and how it was created.</summary>
internal sealed class StoredVariable(VariableInfo info, LocationInfo location, SyntaxNode site, bool byGetVariable, IReadOnlyList<LocationInfo> callSites)
{
    /// <summary>
    /// Where the variable was created and, when that is inside helpers, the calls that led there,
    /// innermost first: a clash in a helper called twice points at both calls.
    /// </summary>
    public IEnumerable<LocationInfo> Origin => new[] { Location }.Concat(CallSites);

    public IReadOnlyList<LocationInfo> CallSites { get; } = callSites;

    public VariableInfo Info { get; } = info;

    /// <summary>Where the variable was created (the additional location of scope diagnostics).</summary>
    public LocationInfo Location { get; } = location;

    /// <summary>The call that created it, to tell a loop re-running that call from a real duplicate.</summary>
    public SyntaxNode Site { get; } = site;

    public bool ByGetVariable { get; } = byGetVariable;
}

/// <summary>
/// The model's one variable store, shared by all its entry methods (TensorFlow's graph collection
/// plus the variable store of <c>get_variable</c>): variables by full name, in creation order.
/// </summary>
internal sealed class VariableStore
{
    private readonly List<StoredVariable> _ordered = new();
    private readonly Dictionary<string, StoredVariable> _byName = new(StringComparer.Ordinal);

    public IReadOnlyList<StoredVariable> All => _ordered;

    public int Count => _ordered.Count;

    public bool TryGet(string fullName, out StoredVariable variable) => _byName.TryGetValue(fullName, out variable!);

    /// <summary>TensorFlow's unique naming: <c>W</c>, then <c>W_1</c>, <c>W_2</c>, …</summary>
    public string UniqueName(string fullName) => Unique(fullName, _byName.ContainsKey);

    /// <summary><paramref name="name"/>, or the first of <c>name_1</c>, <c>name_2</c>, … not <paramref name="taken"/> (TensorFlow's and Keras's rule).</summary>
    public static string Unique(string name, Func<string, bool> taken)
    {
        if (!taken(name)) return name;
        for (int i = 1; ; i++)
        {
            var candidate = name + "_" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (!taken(candidate)) return candidate;
        }
    }

    public StoredVariable Add(VariableInfo info, LocationInfo location, SyntaxNode site, bool byGetVariable, IReadOnlyList<LocationInfo> callSites)
    {
        var v = new StoredVariable(info, location, site, byGetVariable, callSites);
        _ordered.Add(v);
        _byName.Add(info.Name, v);
        return v;
    }
}

/// <summary>One open scope of the evaluator: a name scope, or a variable scope with its own name scope.</summary>
internal sealed class ScopeFrame
{
    public bool IsVariableScope { get; init; }

    /// <summary>The full variable-scope path (<c>two_layers/h1</c>) for a variable scope.</summary>
    public string VariableScopeName { get; init; } = "";

    /// <summary>The effective reuse mode (inherited when the scope was opened with Reuse.False).</summary>
    public int Reuse { get; set; }

    public bool Closed { get; set; }

    /// <summary>The call that opened a variable scope (what the Reuse.Auto code fix edits).</summary>
    public LocationInfo? OpenedAt { get; init; }
}
