using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Passes;

namespace GraphCompiler.Compiler.Emit;

/// <summary>
/// What <see cref="EntryEmitter"/> does differently for one half of the split train step: its declaration,
/// and where gradients go (<c>ComputeGradients</c> stores its gradient outputs into the set) or come from
/// (<c>ApplyGradients</c> reads its gradient inputs from the set).
/// </summary>
internal sealed class GradientSplitEntry(bool computes, IReadOnlyList<GradientSetEmitter.Slot> layout, string declaration, string doc)
{
    private readonly Dictionary<string, GradientSetEmitter.Slot> _slots = layout.ToDictionary(s => s.Variable.Name, StringComparer.Ordinal);
    private readonly Dictionary<string, int> _index = layout.Select((s, i) => (s.Variable.Name, i)).ToDictionary(p => p.Name, p => p.i, StringComparer.Ordinal);
    private readonly bool _sized = GradientSetEmitter.IsSized(layout);

    /// <summary>True for <c>ComputeGradients</c>, false for <c>ApplyGradients</c>.</summary>
    public bool Computes { get; } = computes;

    public string Declaration { get; } = declaration;

    public string Doc { get; } = doc;

    /// <summary>The span of the set that a gradient input reads, or null for another input.</summary>
    public string? ReadGradient(Node input) =>
        !Computes && GradientSplitPass.TryVariableOf(input.Attrs.GetString("name"), out var v) && _slots.TryGetValue(v, out var s)
            ? _sized ? $"gradients.Float32.AsSpan({s.Offset}, {s.Count})" : $"gradients.Float32Of({_index[v]}, {GradientSetEmitter.CountExpression(s.Variable)})"
            : null;

    /// <summary>The lines storing every gradient output into the set.</summary>
    public IEnumerable<string> StoreGradients(Graph graph, Func<Node, string> read)
    {
        foreach (var o in graph.Outputs)
            if (GradientSplitPass.TryVariableOf(o.Name, out var v))
                yield return _sized
                    ? $"gradients.Store({_slots[v].Offset}, {read(o.Node)}, accumulate); // {o.Name}"
                    : $"gradients.StoreGradient({_index[v]}, {read(o.Node)}, accumulate); // {o.Name}";
        var loss = read(graph.Output("loss"));
        yield return $"gradients.Loss = accumulate ? gradients.Loss + {loss}[0] : {loss}[0];";
    }

    public string Return(Graph graph, Func<Node, string> read) => Computes ? $"return {read(graph.Output("loss"))}[0];" : "return;";
}
