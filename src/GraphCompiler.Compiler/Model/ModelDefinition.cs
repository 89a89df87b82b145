using System.Globalization;
using System.Text;
using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Model;

/// <summary>A placeholder of an entry point: a model-method parameter with its declared type.</summary>
public sealed record ModelParameter(string Name, DType DType, Shape Shape)
{
    /// <summary>The text form <c>x:f32[n,3]</c>.</summary>
    public string ToText() => Name + ":" + DType.ShortName() + Shape.ToString().Replace(" ", "");

    public static ModelParameter Parse(string s)
    {
        int colon = s.IndexOf(':');
        int bracket = s.IndexOf('[');
        var dims = s.Substring(bracket + 1, s.Length - bracket - 2).Split(new[] { ',' }, StringSplitOptions.RemoveEmptyEntries)
            .Select(d => int.TryParse(d, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? Dim.Of(v) : Dim.Sym(d));
        return new ModelParameter(s.Substring(0, colon), DTypes.Parse(s.Substring(colon + 1, bracket - colon - 1)), new Shape(dims));
    }
}

/// <summary>
/// One model method lowered to a graph. Its graph's outputs are named <c>result</c> for a single
/// tensor, or <c>item1</c>, <c>item2</c>, … for a tuple. <see cref="IsLoss"/> marks the training objective.
/// </summary>
public sealed record EntryPoint(string MethodName, bool IsLoss, IReadOnlyList<ModelParameter> Parameters, Graph Graph);

/// <summary>
/// Everything the generator learned about one [Model] class, as plain data: no Roslyn types, so it
/// can sit in the incremental pipeline. Equality is by the canonical text form.
/// </summary>
public sealed class ModelDefinition : IEquatable<ModelDefinition>
{
    private string? _text;

    public ModelDefinition(string? ns, string className, string accessibility, string optimizer, IReadOnlyList<VariableInfo> variables, IReadOnlyList<EntryPoint> entries, IReadOnlyList<HyperParameter>? hypers = null, IReadOnlyList<DimConstraints.Relation>? constraints = null)
    {
        Constraints = constraints ?? Array.Empty<DimConstraints.Relation>();
        Hypers = hypers ?? Array.Empty<HyperParameter>();
        Namespace = ns;
        ClassName = className;
        Accessibility = accessibility;
        Optimizer = optimizer;
        Variables = variables;
        Entries = entries;
    }

    /// <summary>The containing namespace, or null for the global namespace.</summary>
    public string? Namespace { get; }

    public string ClassName { get; }

    /// <summary><c>public</c> or <c>internal</c>, as the user declared the partial class.</summary>
    public string Accessibility { get; }

    /// <summary>The optimizer's IR name (<c>gradient_descent</c>, …).</summary>
    public string Optimizer { get; }

    /// <summary>All variables of the model in creation order (the shared variable store).</summary>
    public IReadOnlyList<VariableInfo> Variables { get; }

    public IReadOnlyList<EntryPoint> Entries { get; }

    /// <summary>The construction-time values (<c>[Hyper]</c> properties) in declaration order.</summary>
    public IReadOnlyList<HyperParameter> Hypers { get; }

    /// <summary>Relations between hyperparameters and sizes that the graph needs, checked by the generated constructor.</summary>
    public IReadOnlyList<DimConstraints.Relation> Constraints { get; }

    public EntryPoint? Loss => Entries.FirstOrDefault(e => e.IsLoss);

    public string ToText()
    {
        if (_text is not null) return _text;
        var sb = new StringBuilder();
        sb.Append("model ").Append(Namespace ?? "-").Append(' ').Append(ClassName).Append(' ').Append(Accessibility).Append(' ').Append(Optimizer).Append('\n');
        foreach (var h in Hypers) sb.Append(h.ToText()).Append('\n');
        foreach (var c in Constraints) sb.Append(DimConstraints.ToText(c)).Append('\n');
        foreach (var v in Variables) sb.Append("var ").Append(Attrs.FormatValue(v.Name)).Append('\n');
        foreach (var e in Entries)
        {
            sb.Append("entry ").Append(e.MethodName).Append(e.IsLoss ? " loss" : " inference");
            foreach (var p in e.Parameters) sb.Append(' ').Append(p.ToText());
            sb.Append('\n').Append(GraphText.Write(e.Graph)).Append("end\n");
        }
        return _text = sb.ToString();
    }

    public static ModelDefinition Parse(string text)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n');
        var head = lines[0].Split(' ');
        if (head.Length != 5 || head[0] != "model") throw new FormatException("model text must start with 'model <ns> <class> <access> <optimizer>'");
        var varNames = new List<string>();
        var entries = new List<EntryPoint>();
        var allVariables = new Dictionary<string, VariableInfo>(StringComparer.Ordinal);
        int i = 1;
        var hypers = new List<HyperParameter>();
        for (; i < lines.Length && HyperParameter.Parse(lines[i]) is { } hyper; i++) hypers.Add(hyper);
        var constraints = new List<DimConstraints.Relation>();
        for (; i < lines.Length && DimConstraints.Parse(lines[i]) is { } relation; i++) constraints.Add(relation);
        for (; i < lines.Length && lines[i].StartsWith("var ", StringComparison.Ordinal); i++)
            varNames.Add(lines[i].Substring(5, lines[i].Length - 6).Replace("\\\"", "\"").Replace("\\\\", "\\"));
        while (i < lines.Length && lines[i].StartsWith("entry ", StringComparison.Ordinal))
        {
            var parts = lines[i].Split(' ');
            var parameters = parts.Skip(3).Select(ModelParameter.Parse).ToList();
            int end = Array.IndexOf(lines, "end", i);
            var graph = GraphText.Parse(string.Join("\n", lines, i + 1, end - i - 1));
            foreach (var v in graph.Variables.Values) allVariables[v.Name] = v;
            entries.Add(new EntryPoint(parts[1], parts[2] == "loss", parameters, graph));
            i = end + 1;
        }
        var variables = varNames.Select(n => allVariables.TryGetValue(n, out var v) ? v : throw new FormatException($"variable '{n}' is used by no graph")).ToList();
        return new ModelDefinition(head[1] == "-" ? null : head[1], head[2], head[3], head[4], variables, entries, hypers, constraints);
    }

    public bool Equals(ModelDefinition? other) => other is not null && ToText() == other.ToText();

    public override bool Equals(object? obj) => obj is ModelDefinition m && Equals(m);

    public override int GetHashCode() => ToText().GetHashCode();

    public override string ToString() => ToText();
}
