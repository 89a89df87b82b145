using GraphCompiler.Compiler.Backends.Ilgpu;
using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Kernels;
using GraphCompiler.Compiler.Model;
using GraphCompiler.Compiler.Ops;
using GraphCompiler.Compiler.Passes;

namespace GraphCompiler.Compiler.Emit;

/// <summary>
/// Emits the device path of one entry point, compiled for the ILGPU back end: a private method that the
/// public entry hands its call to when the model has a device, the ILGPU kernels it launches, and a state
/// class holding the views of the regions it uses (re-resolved after the device memory is re-planned).
/// Feeds and step scalars are copied in, the returned values copied out; everything else stays on the device.
/// </summary>
internal sealed partial class DeviceEntryEmitter
{
    private readonly string _method;
    private readonly bool _isTrain;
    private readonly CompiledEntry _entry;
    private readonly EntryEmitter _host;
    private readonly MemoryPlan _memory;
    private readonly IReadOnlyList<string> _hyperDims;
    private readonly List<string> _members = new();
    private readonly Dictionary<string, (string Field, DType DType)> _regions = new(StringComparer.Ordinal);
    private readonly List<(string Region, Node Node, string Length)> _feeds = new();
    private readonly Dictionary<string, string> _fieldNames = new(StringComparer.Ordinal);

    /// <summary>The state class's field names so far; its own members (<c>Bound</c>, <c>Bind</c>, …) are PascalCase, the fields camelCase.</summary>
    private readonly HashSet<string> _fields = new(StringComparer.Ordinal) { "program", "st" };

    /// <summary>The model's device kernels so far, by body with the method's name blanked, to emit each body once.</summary>
    private readonly Dictionary<string, string> _shared;
    private readonly HashSet<string> _sharedNames;

    public DeviceEntryEmitter(string method, bool isTrain, IReadOnlyList<ModelParameter> parameters, CompiledEntry entry, string optimizer, Dictionary<string, string> sharedKernels, IReadOnlyList<string> hyperDims)
    {
        _shared = sharedKernels;
        _sharedNames = new HashSet<string>(sharedKernels.Values, StringComparer.Ordinal);
        _method = method;
        _isTrain = isTrain;
        _entry = entry;
        _memory = entry.Memory;
        // The host emitter of the same graph supplies the parts both paths share: binding the dims, the step scalars.
        _host = new EntryEmitter(method, isTrain, parameters, entry, _ => throw new InvalidOperationException("the device path reads no host variable"), new KernelCatalog(), optimizer, hyperDims);
        Parameters = parameters;
        _hyperDims = hyperDims;
    }

    private IReadOnlyList<ModelParameter> Parameters { get; }

    /// <summary>The private method the public entry forwards to.</summary>
    public string MethodName => _method + "OnDevice";

    /// <summary>The constants the device program keeps: (region, static field), registered by the constructor.</summary>
    public List<(string Region, string Field)> Constants { get; } = new();

    private string State => _method + "DeviceState";

    private string StateField => "_" + char.ToLowerInvariant(_method[0]) + _method.Substring(1) + "OnDevice";

    /// <summary>The members; throws <see cref="NotSupportedException"/> naming the first kernel or op the device cannot run.</summary>
    public IReadOnlyList<string> Emit()
    {
        var graph = _entry.Graph;
        var body = new List<string>();
        var symbols = _host.BindSymbols(body);
        if (_isTrain) body.AddRange(_host.StepScalarLines());
        body.Add("var program = _deviceProgram!;");
        body.Add($"var st = {StateField} ??= new {State}();");
        body.Add(symbols.Count == 0 ? "if (!st.Bound) st.Bind(program);" : $"if (!st.Bound || {string.Join(" || ", symbols.Select(s => $"st.{Dim(s)} != {Dim(s)}"))}) st.Bind(program, {string.Join(", ", symbols.Select(Dim))});");
        body.Add("if (st.Generation != program.Generation) st.Resolve(program);");
        var launches = new List<string>();
        var call = new DeviceCall(View, DimExpr, Count, "program", _isTrain);
        var summaries = graph.Outputs.Where(o => SummaryOutputs.IsSummary(o.Name)).ToList();
        var needed = _host.NeededWithoutSummaries();
        if (summaries.Count > 0) launches.Add("bool writeSummaries = SummarySink is not null && SummaryEvery > 0 && GlobalStep % SummaryEvery == 0;");
        bool written = summaries.Count == 0;
        foreach (var k in _entry.Descriptions)
        {
            if (k.Source.Deferred && !written)
            {
                SummaryWrites(summaries, launches);
                written = true;
            }
            var lines = Launch(k, call);
            if (k.Source.Members.Any(needed.Contains))
            {
                launches.AddRange(lines);
                continue;
            }
            launches.Add("if (writeSummaries)");
            launches.Add("{");
            launches.AddRange(lines.Select(l => "    " + l));
            launches.Add("}");
        }
        if (!written) SummaryWrites(summaries, launches);
        foreach (var e in graph.Effects)
        {
            if (e.Op is SparseGradientDescent)
            {
                launches.Add($"// {e.Name}");
                launches.AddRange(IlgpuLibraryRenderer.SparseDescent(e, call, View(e.Inputs[0])));
                continue;
            }
            if (e.Op is SparseAdagrad or SparseAdagradAccumulate)
            {
                launches.Add(IlgpuLibraryRenderer.SparseAdagrad(e, call, View(e.Inputs[0])));
                continue;
            }
            if (e.Op is not Assign) throw new NotSupportedException($"state update '{e.OpName}' ({e.Name}) has no device routine yet");
            if (_memory.Sinks.TryGetValue(e.Inputs[1], out var sink) && sink == Assign.Target(e)) continue;
            var v = e.Inputs[1];
            var target = View(Assign.Target(e), e.DType);
            launches.Add(v.Shape.Equals(e.Shape)
                ? $"GraphCompiler.Runtime.Devices.DeviceLibrary.Copy({View(v)}, {target}); // {e.Name}"
                : $"program.Context.Library.BroadcastTo({View(v)}, new int[] {{ {string.Join(", ", v.Shape.Select(DimExpr))} }}, {target}, new int[] {{ {string.Join(", ", e.Shape.Select(DimExpr))} }}); // {e.Name}");
        }
        // Feeds are copied after every view is known (the kernels above named the ones they read).
        foreach (var (region, node, _) in _feeds)
            body.Add(Feed(region, node));
        body.AddRange(launches);
        if (_isTrain) body.Add("GlobalStep++;");
        var result = Result();
        body.Add(result is null ? "return;" : "return " + result + ";");

        var signature = EntrySignature.Of(_method, _isTrain, Parameters, graph, _hyperDims);
        var method = new List<string>
        {
            $"/// <summary>The device path of <c>{signature.Method}</c>: the same computation with every value on the model's device.</summary>",
            $"private {signature.ReturnType} {MethodName}({string.Join(", ", signature.ParameterList)})",
            "{",
        };
        method.AddRange(body.Select(l => "    " + l));
        method.Add("}");
        _members.Insert(0, string.Join("\n", method));
        _members.Add($"private {State}? {StateField};");
        _members.Add(StateClass(symbols));
        return _members;
    }

    private List<string> Launch(KernelDescription k, DeviceCall call)
    {
        // A placeholder until the body is known: a body another entry point already emitted keeps that method's name.
        const string pending = "PendingDeviceKernel";
        switch (k)
        {
            case ElementwiseKernel or RowKernel:
            {
                var (kernel, launch) = IlgpuKernelRenderer.Render(k, pending, call);
                // The renderer writes positional placeholders (in0, v12), as the CPU one does; both take the kernel's names.
                kernel = Backends.Cpu.CpuIdentifiers.Apply(kernel, k, k.Buffers.Select(o => o.Value).ToList());
                if (!_shared.TryGetValue(kernel, out var name))
                {
                    // Named as the CPU path names it (after the covering scope), with the device in the name.
                    name = CSharpNames.Unique($"{_method}Device_{k.Names.Method}", _sharedNames);
                    _shared[kernel] = name;
                    _members.Add(kernel.Replace(pending, name));
                }
                return new List<string> { launch.Replace(pending, name) };
            }
            case GemmCall gemm:
                return new[] { $"// {gemm.Product.Name}" }.Concat(IlgpuLibraryRenderer.Gemm(gemm, call)).ToList();
            case LibraryCall library:
                return new[] { $"// {library.Node.Name}" }.Concat(IlgpuLibraryRenderer.Call(library, call).Split('\n')).ToList();
            case AttentionCall attention:
                return new List<string> { $"// {attention.Chain.Output.Name}: fused attention", IlgpuAttentionRenderer.Render(attention, call) };
            case AttentionGradientCall gradient:
                return new List<string> { $"// {gradient.Gradient.Forward.Output.Name}: fused attention backward", IlgpuAttentionRenderer.RenderBackward(gradient, call) };
            case ConvolutionCall window:
                return new List<string> { $"// {window.Op.Name}", IlgpuConvolutionRenderer.Render(window, call) };
            case LoopCall loop:
                return LaunchLoop(loop, call);
            default:
                throw new NotSupportedException($"{k.Name}: no ILGPU rendering for {k.GetType().Name}");
        }
    }

    /// <summary>The view of the region holding <paramref name="n"/> (a feed, a variable, a constant or an arena buffer).</summary>
    private string View(Node n) => View(RegionOf(n), n.DType);

    private string RegionOf(Node n)
    {
        switch (n.OpName)
        {
            case "input":
            {
                var name = n.Attrs.GetString("name");
                var region = name == OptimizerPass.LearningRateInput ? $"{_method}/learning_rate"
                    : name == OptimizerPass.WeightDecayInput ? $"{_method}/weight_decay"
                    : $"{_method}/{name}";
                if (!_regions.ContainsKey(region)) _feeds.Add((region, n, Count(n.Shape)));
                _fieldNames[region] = region.Substring(region.LastIndexOf('/') + 1);
                return region;
            }
            case "variable":
            {
                var region = n.Attrs.GetString("name");
                _fieldNames[region] = region;
                return region;
            }
            case "constant":
            {
                var region = $"{_method}/const{n.Id}";
                if (!_regions.ContainsKey(region)) Constants.Add((region, ConstantField(n, $"{_method}DeviceConst{n.Id}")));
                _fieldNames[region] = n.Name;
                return region;
            }
        }
        if (_memory.Sinks.TryGetValue(n, out var sink))
        {
            _fieldNames[sink] = sink;
            return sink;
        }
        var buffer = _memory.BufferOf[n];
        var slot = $"{_method}/b{buffer.Index}";
        _fieldNames[slot] = buffer.Name;
        return slot;
    }

    private string View(string region, DType dtype)
    {
        // The state's field of a region is named after what it holds (a variable, a feed, the value an arena slot stores first).
        if (!_regions.TryGetValue(region, out var entry))
        {
            var name = KernelNames.ValueIdentifier(_fieldNames.TryGetValue(region, out var what) ? what : region);
            _regions[region] = entry = (CSharpNames.Unique(CSharpNames.IsKeyword(name) ? name + "Value" : name, _fields), dtype);
        }
        return "st." + entry.Field;
    }

    private string Feed(string region, Node n) => n.Attrs.GetString("name") switch
    {
        var s when s == OptimizerPass.LearningRateInput => $"program.CopyIn({Str(region)}, stepLearningRate);",
        var s when s == OptimizerPass.WeightDecayInput => $"program.CopyIn({Str(region)}, stepWeightDecayRate);",
        var s when n.Shape.Rank == 0 => $"program.CopyIn({Str(region)}, {CSharpNames.Local(s)});",
        var s => $"program.Memory.CopyIn({Str(region)}, {CSharpNames.Local(s)});",
    };

    private string ConstantField(Node n, string name)
    {
        var values = n.Attrs.GetDoubles("value");
        var data = Enumerable.Range(0, (int)n.Shape.StaticElementCount).Select(i => CSharpNames.Literal(values.Length == 1 ? values[0] : values[i], n.DType));
        _members.Add($"private static readonly {n.DType.CSharpName()}[] {name} = {{ {string.Join(", ", data)} }};");
        return name;
    }

    /// <summary>The summaries, read from the device on summary steps only.</summary>
    private void SummaryWrites(List<GraphOutput> summaries, List<string> body) =>
        EntryEmitter.SummaryWrites(summaries, body, Read, shape => $"new int[] {{ {string.Join(", ", shape.Select(DimExpr))} }}");

    /// <summary>A host copy of the region holding <paramref name="n"/> (the region of an assign's variable for an assign).</summary>
    private string Read(Node n)
    {
        var source = n.Op.Class == OpClass.Effect ? n.Inputs[0] : n;
        var region = RegionOf(source);
        View(region, source.DType);
        return $"program.Read<{n.DType.CSharpName()}>({Str(region)})";
    }

    private string? Result()
    {
        var returned = _host.ReturnedOutputs.ToList();
        if (returned.Count == 0 && !_isTrain) return null;
        return EntryEmitter.Result(returned, n => $"{Read(n)}[0]", Read);
    }

    private string StateClass(List<string> symbols)
    {
        var lines = new List<string>
        {
            $"/// <summary>Device regions of <c>{_method}</c> for the current binding of its symbolic dims, and their views.</summary>",
            $"private sealed class {State}",
            "{",
            "    public bool Bound;",
            "    public int Generation = -1;",
        };
        foreach (var s in symbols) lines.Add($"    public int {Dim(s)} = -1;");
        foreach (var kv in _regions) lines.Add($"    public ILGPU.ArrayView<{IlgpuKernelRenderer.DeviceType(kv.Value.DType)}> {kv.Value.Field}; // {kv.Key}");
        foreach (var dt in _memory.Arenas)
        {
            var bufs = _memory.InArena(dt);
            lines.Add($"    private static readonly int[] {Arena(dt)}First = {{ {string.Join(", ", bufs.Select(b => b.FirstUse))} }};");
            lines.Add($"    private static readonly int[] {Arena(dt)}Last = {{ {string.Join(", ", bufs.Select(b => b.LastUse))} }};");
        }
        lines.Add($"    public void Bind({string.Join(", ", new[] { "GraphCompiler.Runtime.Devices.DeviceProgram program" }.Concat(symbols.Select(s => "int " + Dim(s))))})");
        lines.Add("    {");
        lines.Add("        Bound = true;");
        foreach (var s in symbols) lines.Add($"        this.{Dim(s)} = {Dim(s)};");
        lines.Add("        var regions = new System.Collections.Generic.List<GraphCompiler.Runtime.Devices.DeviceRegion>();");
        var dtypes = _memory.Arenas.Concat(_feeds.Select(f => f.Node.DType)).Distinct().ToList();
        foreach (var dt in dtypes)
        {
            var bufs = _memory.Arenas.Contains(dt) ? _memory.InArena(dt) : new List<ArenaBuffer>();
            var names = bufs.Select(b => Str($"{_method}/b{b.Index}"));
            var extra = _feeds.Where(f => f.Node.DType == dt).Select(f => $", ({Str(f.Region)}, {f.Length})");
            var first = bufs.Count == 0 ? "System.Array.Empty<int>()" : Arena(dt) + "First";
            var last = bufs.Count == 0 ? "System.Array.Empty<int>()" : Arena(dt) + "Last";
            lines.Add($"        GraphCompiler.Runtime.Devices.DeviceProgram.ArenaRegions(regions, GraphCompiler.DType.{dt}, new string[] {{ {string.Join(", ", names)} }}, new int[] {{ {string.Join(", ", bufs.Select(b => Count(b.Shape)))} }}, {first}, {last}{string.Concat(extra)});");
        }
        lines.AddRange(LoopRegionLines().Select(l => "        " + l));
        lines.Add($"        program.Bind({Str(_method)}, regions);");
        lines.Add("    }");
        lines.Add("    public void Resolve(GraphCompiler.Runtime.Devices.DeviceProgram program)");
        lines.Add("    {");
        lines.Add("        Generation = program.Generation;");
        foreach (var kv in _regions) lines.Add($"        {kv.Value.Field} = program.View<{IlgpuKernelRenderer.DeviceType(kv.Value.DType)}>({Str(kv.Key)});");
        lines.Add("    }");
        lines.Add("}");
        return string.Join("\n", lines);
    }

    private static string Str(string s) => CSharpNames.StringLiteral(s);

    private static string Dim(string symbol) => "dim_" + CSharpNames.Local(symbol).TrimStart('@');

    private static string DimExpr(Dim d) => d.IsStatic ? d.Size.ToString(System.Globalization.CultureInfo.InvariantCulture) : Dim(d.Symbol!);

    private static string Count(Shape s) => s.Rank == 0 ? "1" : string.Join(" * ", s.Select(DimExpr));

    private static string Arena(DType t) => "Arena" + CSharpNames.Pascal(t.ShortName());
}
