using GraphCompiler.Compiler.Backends.Cpu;
using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Kernels;
using GraphCompiler.Compiler.Model;
using GraphCompiler.Compiler.Ops;
using GraphCompiler.Compiler.Passes;

namespace GraphCompiler.Compiler.Emit;

/// <summary>
/// Emits one entry point (an inference method or the train step): binding of symbolic dims
/// from the inputs, the arena plan (once per binding), the kernel calls in schedule order,
/// the state updates and the result.
/// </summary>
internal sealed partial class EntryEmitter
{
    private readonly Graph _graph;
    private readonly IReadOnlyList<KernelDescription> _kernels;
    private readonly MemoryPlan _memory;
    private readonly IReadOnlyList<ModelParameter> _parameters;
    private readonly string _method;
    private readonly bool _isTrain;
    private readonly Func<string, string> _variableField;
    private readonly List<string> _members = new();

    private readonly string _optimizer;
    private readonly IReadOnlyList<string> _hyperDims;

    /// <summary>Set for the two halves of the train step split at the gradient (<see cref="GradientSplitPass"/>).</summary>
    private readonly GradientSplitEntry? _split;

    private readonly KernelCatalog _catalog;

    public EntryEmitter(string method, bool isTrain, IReadOnlyList<ModelParameter> parameters, CompiledEntry entry, Func<string, string> variableField, KernelCatalog catalog, string optimizer = "gradient_descent", IReadOnlyList<string>? hyperDims = null, GradientSplitEntry? split = null)
    {
        _catalog = catalog;
        _hyperDims = hyperDims ?? Array.Empty<string>();
        _split = split;
        _optimizer = optimizer;
        _method = method;
        _isTrain = isTrain;
        _parameters = parameters;
        _graph = entry.Graph;
        _kernels = entry.Descriptions;
        _memory = entry.Memory;
        _variableField = variableField;
    }

    private string State => _method + "State";

    /// <summary>When set, the method first hands the call to this method of the model's device path (when the model has a device).</summary>
    public string? DeviceMethod { get; init; }

    /// <summary>When set, the method refuses to run on a model created on a device, saying why (it runs on the host only so far).</summary>
    public string? HostOnly { get; init; }

    /// <summary>The method, its state class and its kernels, as class members.</summary>
    public IReadOnlyList<string> Emit()
    {
        _members.AddRange(_catalog.TakeNew(_method));
        var body = new List<string>();
        if (DeviceMethod is { } device)
        {
            var call = $"{device}({string.Join(", ", EntrySignature.Of(_method, _isTrain, _parameters, _graph).ArgumentList)})";
            body.Add(!ReturnedOutputs.Any() && !_isTrain ? $"if (_deviceProgram is not null) {{ {call}; return; }}" : $"if (_deviceProgram is not null) return {call};");
        }
        if (HostOnly is { } why)
            body.Add($"if (_deviceProgram is not null) throw new NotSupportedException({CSharpNames.StringLiteral(_method + " runs on the host only so far: " + why)});");
        var symbols = BindSymbols(body);
        if (_isTrain && _split?.Computes != true) body.AddRange(StepScalarLines());
        body.AddRange(StateLines(symbols));
        var summaries = _graph.Outputs.Where(o => SummaryOutputs.IsSummary(o.Name)).ToList();
        var needed = NeededWithoutSummaries();
        if (summaries.Count > 0) body.Add("bool writeSummaries = SummarySink is not null && SummaryEvery > 0 && GlobalStep % SummaryEvery == 0;");
        bool written = summaries.Count == 0;
        _split?.Schedule(_graph, _kernels);
        foreach (var k in _kernels)
        {
            if (k.Source.Deferred && !written)
            {
                EmitSummaryWrites(summaries, body);
                written = true;
            }
            if (k.Source.Members.Any(needed.Contains))
            {
                EmitKernelCall(k, body);
                if (_split is not null) body.AddRange(_split.AfterKernel(k, _graph, Read));
                continue;
            }
            // Only summaries need this kernel: it runs on summary steps alone.
            var inner = new List<string>();
            EmitKernelCall(k, inner);
            body.Add("if (writeSummaries)");
            body.Add("{");
            body.AddRange(inner.Select(l => "    " + l));
            body.Add("}");
        }
        if (!written) EmitSummaryWrites(summaries, body);
        foreach (var e in _graph.Effects)
        {
            if (e.Op is not Assign)
            {
                // Other state updates (sparse row updates) lower themselves onto the variable.
                var effectLines = new List<string>();
                e.Op.EmitCpu(new CpuKernelContext(e, Read, _variableField(Assign.Target(e)) + ".Data.AsSpan()", DimExpr, effectLines) { IsTraining = _isTrain });
                body.Add($"// {e.Name}");
                body.AddRange(effectLines);
                continue;
            }
            if (_memory.Sinks.TryGetValue(e.Inputs[1], out var sink) && sink == Assign.Target(e)) continue;
            var v = e.Inputs[1];
            var target = _variableField(Assign.Target(e)) + ".Data";
            body.Add(v.Shape.Equals(e.Shape)
                ? $"{Read(v)}.CopyTo({target}); // {e.Name}"
                : $"GraphCompiler.Runtime.Execution.CpuOps.BroadcastTo<{v.DType.CSharpName()}>({Read(v)}, {Shapes(v.Shape)}, {target}, {Shapes(e.Shape)}); // {e.Name}");
        }
        if (_split?.Computes == true) body.AddRange(_split.StoreGradients(_graph, Read));
        else if (_isTrain) body.Add("GlobalStep++;");
        body.Add(_split is not null ? _split.Return(_graph, Read) : !ReturnedOutputs.Any() && !_isTrain ? "return;" : "return " + Result() + ";");

        var doc = _isTrain
            ? "/// <summary>One training step: computes the loss, its gradients and the variable updates, and increments <see cref=\"GlobalStep\"/>. Returns the loss before the update.</summary>"
            : $"/// <summary>Evaluates the model method <c>{_method}</c> with the current variable values.</summary>";
        var declaration = _split?.Declaration ?? EntrySignature.Of(_method, _isTrain, _parameters, _graph, _hyperDims).Declaration;
        var method = new List<string> { _split?.Doc ?? doc, declaration, "{" };
        method.AddRange(body.Select(l => "    " + l));
        method.Add("}");
        _members.Add(string.Join("\n", method));
        _members.Add($"private {State}? _{Camel(_method)};");
        _members.Add(EmitState(symbols));
        return _members;
    }

    /// <summary>Nodes the method needs whether or not it writes summaries.</summary>
    internal HashSet<Node> NeededWithoutSummaries()
    {
        var needed = new HashSet<Node>();
        var stack = new Stack<Node>(_graph.Outputs.Where(o => !SummaryOutputs.IsSummary(o.Name)).Select(o => o.Node).Concat(_graph.Effects));
        while (stack.Count > 0)
        {
            var n = stack.Pop();
            if (!needed.Add(n)) continue;
            foreach (var i in n.Inputs) stack.Push(i);
        }
        return needed;
    }

    /// <summary>The sink calls of every summary output, on summary steps, with the step before this update.</summary>
    private void EmitSummaryWrites(List<GraphOutput> summaries, List<string> body) => SummaryWrites(summaries, body, Read, Shapes);

    /// <summary>
    /// The sink calls of <paramref name="summaries"/>: <paramref name="read"/> spells a value's elements (a span on
    /// the CPU, a copy from the device), <paramref name="shape"/> an int span of a shape.
    /// </summary>
    internal static void SummaryWrites(List<GraphOutput> summaries, List<string> body, Func<Node, string> read, Func<Shape, string> shape)
    {
        if (summaries.Count == 0) return;
        body.Add("if (writeSummaries)");
        body.Add("{");
        body.Add("    var sink = SummarySink!;");
        foreach (var o in summaries)
        {
            var (kind, tag) = SummaryOutputs.Parse(o.Name);
            var t = CSharpNames.StringLiteral(tag);
            var n = o.Node;
            body.Add("    " + kind switch
            {
                SummaryOutputs.Scalar => $"sink.Scalar({t}, (float){read(n)}[0], GlobalStep);",
                SummaryOutputs.Histogram => n.DType == DType.Float32 ? $"sink.Histogram({t}, {read(n)}, GlobalStep);" : $"sink.Histogram({t}, GraphCompiler.Runtime.Execution.Feed.ToFloat({read(n)}), GlobalStep);",
                SummaryOutputs.Image => n.DType == DType.Float32 ? $"sink.Image({t}, {read(n)}, {shape(n.Shape)}, GlobalStep);" : $"sink.Image({t}, GraphCompiler.Runtime.Execution.Feed.ToFloat({read(n)}), {shape(n.Shape)}, GlobalStep);",
                _ => $"sink.Text({t}, {CSharpNames.StringLiteral(n.Attrs.GetString("text"))}, GlobalStep);",
            });
        }
        body.Add("}");
    }

    internal IEnumerable<GraphOutput> ReturnedOutputs => _graph.Outputs.Where(o => !SummaryOutputs.IsSummary(o.Name));

    /// <summary>The host-side scalars of the step: the scheduled learning rate, Adam's step size, AdamW's decay.</summary>
    internal IEnumerable<string> StepScalarLines()
    {
        var spec = Passes.Optimizers.OptimizerSpec.Parse(_optimizer);
        string F(double v) => CSharpNames.Literal(v, DType.Float32);
        var schedule = Array.IndexOf(Passes.Optimizers.OptimizerSpec.Schedules, spec.GetString("schedule", "constant"));
        int warmup = (int)spec.Get("warmup_steps", 0);
        if (schedule <= 0 && warmup == 0) yield return "float scheduledLearningRate = learningRate;";
        else
        {
            var boundaries = CpuKernelContext.Ints(spec.GetList("boundaries").Select(b => ((int)b).ToString(System.Globalization.CultureInfo.InvariantCulture)));
            var values = spec.GetList("values");
            var valueSpan = values.Length == 0 ? "ReadOnlySpan<float>.Empty" : "stackalloc float[] { " + string.Join(", ", values.Select(F)) + " }";
            yield return $"float scheduledLearningRate = GraphCompiler.Runtime.Training.StepScalars.Schedule(learningRate, GlobalStep, {Math.Max(schedule, 0)}, {(int)spec.Get("decay_steps", 1000)}, {F(spec.Get("decay_rate", 0.96))}, {(spec.GetBool("staircase") ? "true" : "false")}, {boundaries}, {valueSpan}, {F(spec.Get("alpha", 0))}, {warmup});";
        }
        yield return spec.Kind is "adam" or "adamw"
            ? $"float stepLearningRate = GraphCompiler.Runtime.Training.StepScalars.AdamStepSize(scheduledLearningRate, GlobalStep, {CSharpNames.Literal(spec.Get("beta1", 0.9), DType.Float64)}, {CSharpNames.Literal(spec.Get("beta2", 0.999), DType.Float64)});"
            : "float stepLearningRate = scheduledLearningRate;";
        if (spec.Kind == "adamw") yield return $"float stepWeightDecayRate = scheduledLearningRate * {F(spec.Get("weight_decay", 0.01))};";
    }

    /// <summary>The distinct arena buffers of this entry (after in-place reuse), for the model's arena bound.</summary>
    public IReadOnlyList<Node> ArenaBuffers => _memory.Buffers.Select(b => b.Value).Concat(LoopKernels.BodyBuffers(_kernels)).ToList();

    /// <summary>
    /// Binds every symbolic dim: the model's dimension hyperparameters from its properties (fixed since
    /// construction, so the state's plan is made once), then the call's as <see cref="DimBinding"/> plans them.
    /// </summary>
    internal List<string> BindSymbols(List<string> body)
    {
        var all = _hyperDims.Concat(_graph.Symbols.Where(s => !_hyperDims.Contains(s))).ToList();
        var inputs = _parameters.Where(p => p.Shape.Rank > 0).ToList();
        foreach (var h in _hyperDims) body.Add($"int {Dim(h)} = {h};");
        foreach (var (symbol, from) in DimBinding.Plan(_parameters, all, _hyperDims))
        {
            if (from is null)
            {
                body.Add($"int {Dim(symbol)} = {DimParameter(symbol)};");
                continue;
            }
            var others = from.Shape.Where(d => d.Symbol != symbol).Select(DimExpr).ToList();
            var product = others.Count == 0 ? "1" : string.Join(" * ", others);
            body.Add(product == "1"
                ? $"int {Dim(symbol)} = {CSharpNames.Local(from.Name)}.Length;"
                : $"int {Dim(symbol)} = ({product}) == 0 ? 0 : {CSharpNames.Local(from.Name)}.Length / ({product});");
        }
        foreach (var p in inputs)
            body.Add($"GraphCompiler.Runtime.Execution.Feed.CheckLength(\"{p.Name}\", \"{p.Shape}\", {Count(p.Shape)}, {CSharpNames.Local(p.Name)}.Length);");
        return all;
    }

    private void EmitKernelCall(KernelDescription d, List<string> body)
    {
        switch (d)
        {
            case RowKernel or ElementwiseKernel:
            {
                var call = _catalog.CallOf(d);
                var shape = d.Space.Shape;
                var args = new List<string>();
                if (d is RowKernel) args.AddRange(new[] { Count(d.Space.Rows), DimExpr(d.Space.Inner) });
                else if (call.Form != KernelForm.Single) args.Add(Count(shape));
                if (call.NeedsDims) args.AddRange(shape.Select(DimExpr));
                if (call.NeedsInner) args.Add(DimExpr(shape[shape.Rank - 1]));
                args.AddRange(call.Inputs.Select(Read));
                args.AddRange(d.Outputs.Select(Write));
                body.Add($"{call.Method}({string.Join(", ", args)});" + (call.Comment is { } c ? $" // {c}" : ""));
                return;
            }
            case GemmCall gemm:
            {
                var members = gemm.Source.Members;
                body.Add(gemm.Bias is not null ? $"// {string.Join(" → ", members.Select(m => m.Name))}"
                    : gemm.ColumnSums is { } sums ? $"// {gemm.Product.Name} + {sums.Name} (bias gradient)"
                    : $"// {gemm.Product.Name}");
                body.Add(CpuGemmRenderer.Render(gemm, new CpuKernelContext(gemm.Product, Read, Write(gemm.Result), DimExpr, new List<string>()) { IsTraining = _isTrain }, Write));
                return;
            }
            case ConvolutionCall window:
            {
                var members = window.Source.Members;
                body.Add($"// {string.Join(" → ", members.Select(m => m.Name))}");
                body.Add(CpuConvolutionRenderer.Render(window, new CpuKernelContext(window.Op, Read, Write(window.Result), DimExpr, new List<string>()) { IsTraining = _isTrain }, Write));
                return;
            }
            case LoopCall loop:
                EmitLoopCall(loop, body);
                return;
            case LibraryCall call:
            {
                var lines = new List<string>();
                call.Node.Op.EmitCpu(new CpuKernelContext(call.Node, Read, Write(call.Node), DimExpr, lines) { IsTraining = _isTrain });
                body.Add($"// {call.Node.Name}");
                body.AddRange(lines);
                return;
            }
            default:
                throw new InvalidOperationException($"no CPU rendering for {d.GetType().Name}");
        }
    }

    private string Read(Node n) => n.OpName switch
    {
        "input" when _ports is not null => _ports[n.Attrs.GetString("name")],
        "input" when n.Attrs.GetString("name") == OptimizerPass.LearningRateInput && _isTrain => "new ReadOnlySpan<float>(ref stepLearningRate)",
        "input" when n.Attrs.GetString("name") == OptimizerPass.WeightDecayInput && _isTrain => "new ReadOnlySpan<float>(ref stepWeightDecayRate)",
        "input" when _split?.ReadGradient(n) is { } gradient => gradient,
        "input" when n.Shape.Rank == 0 => $"new ReadOnlySpan<{n.DType.CSharpName()}>(ref {CSharpNames.Local(n.Attrs.GetString("name"))})",
        "input" => CSharpNames.Local(n.Attrs.GetString("name")),
        "variable" => $"{_variableField(n.Attrs.GetString("name"))}.Data.AsSpan()",
        "constant" => ConstantField(n) + ".AsSpan()",
        _ => Write(n),
    };

    private string Write(Node n) =>
        _memory.Sinks.TryGetValue(n, out var variable) ? $"{_variableField(variable)}.Data.AsSpan()"
        : $"{Arena(n.DType)}.AsSpan(st.{_memory.BufferOf[n].Name}, {Count(n.Shape)})";

    private string ConstantField(Node n)
    {
        var name = $"{_method}Const{n.Id}";
        var values = n.Attrs.GetDoubles("value");
        var count = n.Shape.StaticElementCount;
        var data = Enumerable.Range(0, (int)count).Select(i => CSharpNames.Literal(values.Length == 1 ? values[0] : values[i], n.DType));
        var field = $"private static readonly {n.DType.CSharpName()}[] {name} = {{ {string.Join(", ", data)} }};";
        if (!_members.Contains(field)) _members.Add(field);
        return name;
    }

    /// <summary>
    /// The value an output reads when the method returns. An assign's result is read from its
    /// variable, which holds the assigned value once the effects have run.
    /// </summary>
    private string ReadOutput(Node n) => n.Op.Class == OpClass.Effect ? Read(n.Inputs[0]) : Read(n);

    private string Result() => Result(ReturnedOutputs, n => $"{ReadOutput(n)}[0]", n => $"{ReadOutput(n)}.ToArray()");

    /// <summary>The returned value: a scalar or an NDArray per output (a tuple of several); <paramref name="array"/> spells a new array of an output's elements.</summary>
    internal static string Result(IEnumerable<GraphOutput> returned, Func<Node, string> scalar, Func<Node, string> array)
    {
        var values = returned.Select(o => o.Node.Shape.Rank == 0
            ? scalar(o.Node)
            : $"new NDArray<{o.Node.DType.CSharpName()}>(new int[] {{ {string.Join(", ", o.Node.Shape.Select(DimExpr))} }}, {array(o.Node)})").ToList();
        return values.Count == 1 ? values[0] : "(" + string.Join(", ", values) + ")";
    }

    private string EmitState(List<string> symbols)
    {
        var lines = new List<string>
        {
            $"/// <summary>Arena and plan of <c>{_method}</c> for the current binding of its symbolic dims.</summary>",
            $"private sealed class {State}",
            "{",
            "    public bool Bound;",
        };
        foreach (var s in symbols) lines.Add($"    public int {Dim(s)} = -1;");
        foreach (var dt in _memory.Arenas) lines.Add($"    public {dt.CSharpName()}[] {ArenaField(dt)} = System.Array.Empty<{dt.CSharpName()}>();");
        if (_memory.Buffers.Count > 0) lines.Add("    // Offsets of the arena slots, each named after the value first stored in it.");
        if (_memory.Buffers.Count > 0) lines.Add($"    public int {string.Join(", ", _memory.Buffers.Select(b => b.Name))};");
        foreach (var dt in _memory.Arenas)
        {
            var bufs = _memory.InArena(dt);
            lines.Add($"    private static readonly int[] {ArenaField(dt)}First = {{ {string.Join(", ", bufs.Select(b => b.FirstUse))} }};");
            lines.Add($"    private static readonly int[] {ArenaField(dt)}Last = {{ {string.Join(", ", bufs.Select(b => b.LastUse))} }};");
        }
        lines.Add($"    public void Bind({string.Join(", ", symbols.Select(s => "int " + Dim(s)))})");
        lines.Add("    {");
        lines.Add("        Bound = true;");
        foreach (var s in symbols) lines.Add($"        this.{Dim(s)} = {Dim(s)};");
        foreach (var dt in _memory.Arenas)
        {
            var bufs = _memory.InArena(dt);
            var f = ArenaField(dt);
            lines.Add($"        Span<int> {f}Sizes = stackalloc int[] {{ {string.Join(", ", bufs.Select(b => Count(b.Shape)))} }};");
            lines.Add($"        Span<int> {f}Offsets = stackalloc int[{bufs.Count}];");
            lines.Add($"        int {f}Length = GraphCompiler.Runtime.Execution.ArenaPlanner.Plan({f}Sizes, {f}First, {f}Last, {f}Offsets);");
            lines.Add($"        if ({f}.Length < {f}Length) {f} = new {dt.CSharpName()}[{f}Length];");
            for (int j = 0; j < bufs.Count; j++) lines.Add($"        {bufs[j].Name} = {f}Offsets[{j}];");
        }
        lines.Add("    }");
        lines.Add("}");
        return string.Join("\n", lines);
    }

    private static string Camel(string s) => char.ToLowerInvariant(s[0]) + s.Substring(1);

    private static string Dim(string symbol) => "dim_" + CSharpNames.Local(symbol).TrimStart('@');

    private string DimParameter(string symbol) => EntrySignature.DimParameter(_parameters, symbol);

    private static string DimExpr(Dim d) => d.IsStatic ? d.Size.ToString(System.Globalization.CultureInfo.InvariantCulture) : Dim(d.Symbol!);

    private static string Count(Shape s) => s.Rank == 0 ? "1" : string.Join(" * ", s.Select(DimExpr));

    private static string Shapes(Shape s) => CpuKernelContext.Ints(s.Select(DimExpr));

    private static string Arena(DType t) => "arena" + CSharpNames.Pascal(t.ShortName());

    private static string ArenaField(DType t) => "Arena" + CSharpNames.Pascal(t.ShortName());
}
