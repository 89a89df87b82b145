using System.Globalization;
using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Model;
using GraphCompiler.Generator.Pipeline;

namespace GraphCompiler.Generator.Output;

/// <summary>
/// Re-attaches source locations to a model parsed from its IR text (which carries none), by
/// rebuilding each graph node by node with <see cref="GraphBuilder.CurrentSource"/> set, so that
/// diagnostics of the compiler stages point at the user's code. The compiler sees the locations
/// relative to their anchors (its file is the anchor's index), which is all it needs to hand them
/// back with its diagnostics (<see cref="ToRelative"/>); the report step makes them absolute.
/// </summary>
internal static class SourceMap
{
    public static ModelDefinition Attach(ModelDefinition model, IEnumerable<NodeSource> sources)
    {
        var variableSources = new Dictionary<string, SourceSpan>(StringComparer.Ordinal);
        var nodeSources = new Dictionary<(string, string), SourceSpan>();
        foreach (var s in sources)
        {
            var span = ToSpan(s.Location);
            if (s.Graph is null) variableSources[s.Name] = span;
            else nodeSources[(s.Graph, s.Name)] = span;
        }
        VariableInfo WithSource(VariableInfo v) => variableSources.TryGetValue(v.Name, out var span) ? v with { Source = span } : v;
        var entries = model.Entries.Select(e => e with { Graph = Rebuild(e.Graph, WithSource, nodeSources) }).ToList();
        return new ModelDefinition(model.Namespace, model.ClassName, model.Accessibility, model.Optimizer, model.Variables.Select(WithSource).ToList(), entries, model.Hypers, model.Constraints);
    }

    public static SourceSpan ToSpan(RelativeLocation l) =>
        new(l.Anchor.ToString(CultureInfo.InvariantCulture), l.Span.Start, l.Span.Length, l.LineSpan.Start.Line + 1, l.LineSpan.Start.Character + 1);

    /// <summary>The relative location a compiler diagnostic's span was made from, or null for a span of no known node.</summary>
    public static RelativeLocation? ToRelative(SourceSpan? span, IEnumerable<NodeSource> sources) =>
        span is null ? null : sources.Select(s => s.Location).FirstOrDefault(l => ToSpan(l) == span);

    private static Graph Rebuild(Graph graph, Func<VariableInfo, VariableInfo> withSource, Dictionary<(string, string), SourceSpan> sources)
    {
        var builder = new GraphBuilder(graph.Name, graph.Variables.Values.Select(withSource).ToDictionary(v => v.Name, StringComparer.Ordinal));
        var map = new Dictionary<Node, Node>();
        foreach (var node in graph.Nodes)
        {
            builder.CurrentSource = sources.TryGetValue((graph.Name, node.Name), out var span) ? span : null;
            var rebuilt = node.OpName switch
            {
                "input" => builder.Input(node.Attrs.GetString("name"), node.DType, node.Shape),
                "variable" => builder.ReadVariable(node.Attrs.GetString("name")),
                _ => builder.Apply(node.Op, node.Inputs.Select(i => map[i]).ToList(), node.Attrs, node.Name),
            };
            if (rebuilt.Name != node.Name) throw new InvalidOperationException($"rebuilding graph {graph.Name} renamed node '{node.Name}' to '{rebuilt.Name}'");
            map[node] = rebuilt;
        }
        foreach (var output in graph.Outputs) builder.AddOutput(output.Name, map[output.Node]);
        foreach (var effect in graph.Effects) builder.AddEffect(map[effect]);
        return builder.Build();
    }
}
