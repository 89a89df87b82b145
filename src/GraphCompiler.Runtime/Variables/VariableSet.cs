using System.Collections;

namespace GraphCompiler.Runtime;

/// <summary>
/// All variables of one model, enumerable in creation order and addressable by full name.
/// Generated models derive typed sets from it (<c>model.Variables.TwoLayers.H1.Weights</c>);
/// checkpoints and summaries use only this untyped view.
/// </summary>
public class VariableSet : IReadOnlyList<Variable>
{
    private readonly List<Variable> _ordered = new();
    private readonly Dictionary<string, Variable> _byName = new(StringComparer.Ordinal);

    public int Count => _ordered.Count;

    public Variable this[int index] => _ordered[index];

    /// <summary>The variable with this full name; throws naming the known ones otherwise.</summary>
    public Variable this[string name] =>
        _byName.TryGetValue(name, out var v)
            ? v
            : throw new KeyNotFoundException($"the model has no variable named '{name}'; it has: {string.Join(", ", _byName.Keys)}");

    public bool TryGet(string name, out Variable variable) => _byName.TryGetValue(name, out variable!);

    public bool Contains(string name) => _byName.ContainsKey(name);

    /// <summary>Variable names in creation order.</summary>
    public IEnumerable<string> Names => _ordered.Select(v => v.Name);

    /// <summary>Registers a variable; generated constructors call this once per variable.</summary>
    protected internal T Add<T>(T variable) where T : Variable
    {
        if (_byName.ContainsKey(variable.Name))
            throw new InvalidOperationException($"variable '{variable.Name}' is registered twice");
        _byName.Add(variable.Name, variable);
        _ordered.Add(variable);
        return variable;
    }

    public IEnumerator<Variable> GetEnumerator() => _ordered.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
