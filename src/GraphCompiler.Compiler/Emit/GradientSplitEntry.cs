using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Kernels;
using GraphCompiler.Compiler.Model;
using GraphCompiler.Compiler.Passes;

namespace GraphCompiler.Compiler.Emit;

/// <summary>
/// What <see cref="EntryEmitter"/> does differently for one half of the split train step: its declaration,
/// and where gradients go (<c>ComputeGradients</c> stores its gradient outputs into the set) or come from
/// (<c>ApplyGradients</c> reads its gradient inputs from the set). <c>ComputeGradients</c> stores each all-reduce
/// bucket as soon as the kernel completing it has run and signals it (<see cref="GradientBucketSchedule"/>).
/// </summary>
internal sealed class GradientSplitEntry(bool computes, IReadOnlyList<GradientSetEmitter.Slot> layout, string declaration, string doc, IReadOnlyList<GradientSetEmitter.Bucket>? buckets = null)
{
    private readonly IReadOnlyList<GradientSetEmitter.Bucket> _buckets = buckets ?? Array.Empty<GradientSetEmitter.Bucket>();
    private GradientBucketSchedule? _schedule;

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

    /// <summary>Plans where the buckets become ready in <paramref name="kernels"/>, the schedule about to be emitted.</summary>
    public void Schedule(Graph graph, IReadOnlyList<KernelDescription> kernels)
    {
        if (Computes) _schedule = GradientBucketSchedule.Plan(graph, kernels, _buckets);
    }

    /// <summary>The stores and signals of the buckets that <paramref name="kernel"/> completes.</summary>
    public IEnumerable<string> AfterKernel(KernelDescription kernel, Graph graph, Func<Node, string> read) =>
        _schedule?.After(kernel, v => Store(graph, v, read)) ?? Enumerable.Empty<string>();

    /// <summary>
    /// The lines storing every gradient output that no bucket signal stored (all of them when the buckets are
    /// planned at construction, for hyperparameter sizes), then the loss.
    /// </summary>
    public IEnumerable<string> StoreGradients(Graph graph, Func<Node, string> read)
    {
        if (_schedule is not null)
            foreach (var line in _schedule.Rest(v => Store(graph, v, read))) yield return line;
        var signalled = new HashSet<string>(_buckets.SelectMany(b => b.Variables), StringComparer.Ordinal);
        foreach (var o in graph.Outputs)
            if (GradientSplitPass.TryVariableOf(o.Name, out var v) && !signalled.Contains(v))
                yield return Store(graph, v, read);
        var loss = read(graph.Output("loss"));
        yield return $"gradients.Loss = accumulate ? gradients.Loss + {loss}[0] : {loss}[0];";
    }

    private string Store(Graph graph, string variable, Func<Node, string> read)
    {
        var name = GradientSplitPass.GradientName(variable);
        var value = read(graph.Output(name));
        return _sized
            ? $"gradients.Store({_slots[variable].Offset}, {value}, accumulate); // {name}"
            : $"gradients.StoreGradient({_index[variable]}, {value}, accumulate); // {name}";
    }

    /// <summary>
    /// The build report of the gradient set (info GC0501): its size and buckets, and where in <c>ComputeGradients</c>
    /// each bucket becomes ready once the method has been emitted.
    /// </summary>
    public CompilerDiagnostic Report(string model)
    {
        if (!_sized) return new CompilerDiagnostic("GC0501", Severity.Info, $"Model {model}: gradient set sized by the hyperparameters; its all-reduce buckets are planned when a set is made", null);
        int total = _slots.Values.Sum(s => s.Count);
        var ready = _schedule?.Report;
        var described = string.Join("; ", _buckets.Select((b, i) => GradientSetEmitter.Describe(i, b) + (ready is null ? "" : ", " + ready[i].Describe())));
        return new CompilerDiagnostic("GC0501", Severity.Info, string.Format(System.Globalization.CultureInfo.InvariantCulture,
            "Model {0}: gradient set of {1} floats ({2} bytes) in {3} all-reduce bucket{4}: {5}", model, total, 4L * total, _buckets.Count, _buckets.Count == 1 ? "" : "s", described), null);
    }

    public string Return(Graph graph, Func<Node, string> read) => Computes ? $"return {read(graph.Output("loss"))}[0];" : "return;";
}
