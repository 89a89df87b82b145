using GraphCompiler.Compiler.Emit;
using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Kernels;

namespace GraphCompiler.Compiler.Backends.Ilgpu;

/// <summary>
/// Renders elementwise and row kernel descriptions as ILGPU kernels: ordinary C# static methods over
/// <c>ArrayView</c>s that ILGPU compiles for the device when they are first loaded. A flat kernel runs
/// one thread per element over an implicit grid; a kernel that reduces along rows (a row kernel, an
/// elementwise kernel with a reduction tail) runs one group per row: its threads stride over the row,
/// fold partial values and combine them with the runtime's <c>GroupReduce</c>.
/// </summary>
internal static class IlgpuKernelRenderer
{
    /// <summary>The kernel method and the statement that launches it (<paramref name="call"/> spells the operands).</summary>
    public static (string Method, string Launch) Render(KernelDescription d, string name, DeviceCall call) => d switch
    {
        ElementwiseKernel e => Elementwise(e, name, call),
        RowKernel r => Rows(r, name, call),
        _ => throw new InvalidOperationException($"{d.Name} is not a kernel the ILGPU renderer writes"),
    };

    /// <summary>The element type a dtype has in device memory (bool as a byte).</summary>
    public static string DeviceType(DType t) => t == DType.Bool ? "byte" : t.CSharpName();

    private static string Load(Node n, string expr) => n.DType == DType.Bool ? $"({expr} != 0)" : expr;

    private static string Store(Node n, string value) => n.DType == DType.Bool ? $"(byte)({value} ? 1 : 0)" : value;

    private static (string Method, string Launch) Elementwise(ElementwiseKernel d, string name, DeviceCall call)
    {
        var shape = d.Space.Shape;
        var access = d.Operands.ToDictionary(o => o.Value, o => o.Map);
        var inputs = d.Buffers.Select(o => o.Value).ToList();
        var inIndex = inputs.Select((n, j) => (n, j)).ToDictionary(p => p.n, p => p.j);
        var reduction = d.RowReduction;
        bool strided = access.Values.Contains(IndexMap.Strided);
        bool grouped = reduction is not null;
        bool needsInner = grouped || d.WindowStores.Count > 0 || access.Values.Any(m => m is IndexMap.RowBroadcast or IndexMap.ColumnBroadcast or IndexMap.ColumnWindow);
        if (reduction is not null && reduction.DType != DType.Float32) throw new NotSupportedException($"{d.Name}: the device folds float32 rows only, not {reduction.DType}");

        var ints = new List<(string Name, string Value)>();
        if (needsInner) ints.Add(("inner", call.Dim(d.Space.Inner)));
        if (strided) ints.AddRange(shape.Select((dim, a) => ($"d{a}", call.Dim(dim))));
        var body = new List<string>();
        if (strided)
        {
            body.Add("int rest = e;");
            for (int a = shape.Rank - 1; a > 0; a--) body.Add($"int idx{a} = rest % d{a}; rest /= d{a};");
            body.Add("int idx0 = rest;");
        }
        var names = new Dictionary<Node, string>();
        string Value(Node n)
        {
            if (names.TryGetValue(n, out var local)) return local;
            var map = access[n];
            if (map == IndexMap.Literal) return CSharpNames.Literal(Ops.Constant.SplatValue(n)!.Value, n.DType);
            int j = inIndex[n];
            return Load(n, map switch
            {
                IndexMap.Contiguous => $"in{j}[e]",
                IndexMap.Scalar => $"in{j}[0]",
                IndexMap.RowBroadcast => $"in{j}[e % inner]",
                IndexMap.ColumnBroadcast => $"in{j}[e / inner]",
                IndexMap.Strided => $"in{j}[{BroadcastIndex(n.Shape, shape)}]",
                IndexMap.ColumnWindow => $"in{j}[{WindowIndex(d.Operands.First(o => o.Value == n).Window!)}]",
                _ => throw new NotSupportedException($"{d.Name}: no device addressing for {map} operands"),
            });
        }
        foreach (var s in d.Body)
        {
            var expr = IlgpuScalarRenderer.Scalar(s.Template, s.Args.Select(Value).ToList());
            names[s.Result] = "v" + s.Result.Id;
            body.Add($"var v{s.Result.Id} = {expr}; // {s.Result.Name}");
        }
        for (int o = 0; o < d.Outputs.Count; o++)
        {
            if (d.Outputs[o] == reduction?.Result) continue;
            if (d.StoreOf(d.Outputs[o]) is { } store)
                for (int p = 0; p < store.Pieces.Count; p++) body.Add($"out{o}[{WindowIndex(new ColumnWindow(store.Offsets[p], store.Width))}] = {Store(store.Pieces[p], Value(store.Pieces[p]))};");
            else body.Add($"out{o}[e] = {Store(d.Outputs[o], Value(d.Outputs[o]))};");
        }

        var parameters = new IlgpuKernelParameters(inputs, d.Outputs, ints.Select(i => i.Name), name);
        // A column window passes its source's storage.
        var args = inputs.Select(n => call.View(d.StorageOf(n))).Concat(d.Outputs.Select(call.View)).Concat(ints.Select(i => i.Value)).ToList();
        var lines = new List<string> { $"/// <summary>Fused on the device: {string.Join(", ", d.Source.Members.Select(m => m.Name))}.</summary>" };
        if (!grouped)
        {
            lines.Add($"private static void {name}(ILGPU.Index1D i, {parameters.Declarations})");
            lines.Add("{");
            lines.AddRange(parameters.Unpack());
            lines.Add("    int e = i;");
            lines.AddRange(body.Select(l => "    " + l));
            lines.Add("}");
            lines.AddRange(parameters.Struct());
            var count = call.Count(shape);
            return (string.Join("\n", lines), Guarded(count, name, $"{call.Program}.Context.Kernels.Auto<{parameters.Types}>({name})({count}, {parameters.Arguments(args)});"));
        }
        int r = IndexOf(d.Outputs, reduction!.Result);
        lines.Add($"private static void {name}({parameters.Declarations})");
        lines.Add("{");
        lines.AddRange(parameters.Unpack());
        lines.Add("    int r = ILGPU.Grid.IdxX;");
        lines.Add($"    float partial = {Identity(reduction.Fold)};");
        lines.Add("    for (int jj = ILGPU.Group.IdxX; jj < inner; jj += ILGPU.Group.DimX)");
        lines.Add("    {");
        lines.Add("        int e = r * inner + jj;");
        lines.AddRange(body.Select(l => "        " + l));
        lines.Add($"        partial = {Fold(reduction.Fold, "partial", Value(reduction.Input))};");
        lines.Add("    }");
        lines.Add($"    float total = GraphCompiler.Runtime.Devices.GroupReduce.Reduce<{FoldType(reduction.Fold)}>(partial);");
        lines.Add($"    if (ILGPU.Group.IsFirstThread) out{r}[r] = total; // {reduction.Result.Name}");
        lines.Add("}");
        lines.AddRange(parameters.Struct());
        var rows = call.Count(d.Space.Rows);
        return (string.Join("\n", lines), GroupedLaunch(call, name, parameters, rows, args));
    }

    /// <summary>Where element e of a kernel's [rows, inner] space lies in the wider tensor of column window <paramref name="w"/>.</summary>
    private static string WindowIndex(ColumnWindow w) => $"e / inner * {w.SourceWidth} + {w.Offset} + e % inner";

    private static (string Method, string Launch) Rows(RowKernel d, string name, DeviceCall call)
    {
        var inputs = d.Buffers.Select(o => o.Value).ToList();
        var w = new RowWriter(d, inputs);
        foreach (var red in d.Reductions.Values)
            if (red.DType != DType.Float32) throw new NotSupportedException($"{d.Name}: the device folds float32 rows only, not {red.DType}");
        // A strided operand (an attention mask) needs the space's dims to find its row.
        bool strided = d.Operands.Any(o => o.Map == IndexMap.Strided);
        var shape = d.Space.Shape;
        var ints = new List<(string Name, string Value)> { ("inner", call.Dim(d.Space.Inner)) };
        if (strided) ints.AddRange(shape.Select((dim, a) => ($"d{a}", call.Dim(dim))));
        var parameters = new IlgpuKernelParameters(inputs, d.Outputs, ints.Select(i => i.Name), name);
        var lines = new List<string>
        {
            $"/// <summary>Row kernel on the device, one group per row of {d.Space.Shape}, {d.Passes.Count} pass(es): {string.Join(", ", d.Source.Members.Select(m => m.Name))}.</summary>",
            $"private static void {name}({parameters.Declarations})",
            "{",
        };
        lines.AddRange(parameters.Unpack());
        lines.AddRange(w.Body().Select(l => "    " + l));
        lines.Add("}");
        lines.AddRange(parameters.Struct());
        var args = inputs.Select(call.View).Concat(d.Outputs.Select(call.View)).Concat(ints.Select(i => i.Value)).ToList();
        return (string.Join("\n", lines), GroupedLaunch(call, name, parameters, call.Count(d.Space.Rows), args));
    }

    private static string GroupedLaunch(DeviceCall call, string name, IlgpuKernelParameters parameters, string rows, List<string> args) =>
        Guarded(rows, name, $"{call.Program}.Context.Kernels.Grouped<{parameters.Types}>({name})(new ILGPU.KernelConfig({rows}, {call.Program}.RowGroupSize), {parameters.Arguments(args)});");

    /// <summary>
    /// A launch that runs only when its size is positive. A size that is a product of constants and zero (an
    /// empty dim in model code) launches nothing: the test <c>if (0 * 1 > 0)</c> would be unreachable code,
    /// which is a warning, and warnings are errors in users' builds.
    /// </summary>
    private static string Guarded(string size, string kernel, string launch)
    {
        var factors = size.Split('*').Select(f => int.TryParse(f.Trim(), out var v) ? v : (int?)null).ToList();
        return factors.All(f => f is not null) && factors.Contains(0)
            ? $"// {kernel}: no elements ({size}), nothing to launch"
            : $"if ({size} > 0) {launch}";
    }

    /// <summary>The flat index in a tensor of <paramref name="small"/> broadcast to <paramref name="big"/>, from the element's coords idx0... and the dims d0...</summary>
    private static string BroadcastIndex(Shape small, Shape big)
    {
        var terms = new List<string>();
        var stride = new List<string>();
        int offset = big.Rank - small.Rank;
        for (int a = big.Rank - 1; a >= offset; a--)
        {
            var dim = small[a - offset];
            if (dim.IsStatic && dim.Size == 1) continue;
            terms.Add(stride.Count == 0 ? $"idx{a}" : $"idx{a} * {string.Join(" * ", stride)}");
            stride.Add($"d{a}");
        }
        return terms.Count == 0 ? "0" : string.Join(" + ", terms);
    }

    internal static string Identity(ReductionFold f) => f switch
    {
        ReductionFold.Max => "float.NegativeInfinity",
        ReductionFold.Min => "float.PositiveInfinity",
        ReductionFold.Product => "1f",
        _ => "0f",
    };

    /// <summary>A thread's fold of one more element, NaN-propagating as the CPU kernels' folds.</summary>
    internal static string Fold(ReductionFold f, string acc, string x) => f switch
    {
        ReductionFold.Sum => $"{acc} + {x}",
        ReductionFold.Max => $"new GraphCompiler.Runtime.Devices.MaxFold().Apply({acc}, {x})",
        ReductionFold.Min => $"new GraphCompiler.Runtime.Devices.MinFold().Apply({acc}, {x})",
        _ => throw new NotSupportedException($"row kernels do not fold {f}"),
    };

    internal static string FoldType(ReductionFold f) => f switch
    {
        ReductionFold.Sum => "GraphCompiler.Runtime.Devices.SumFold",
        ReductionFold.Max => "GraphCompiler.Runtime.Devices.MaxFold",
        ReductionFold.Min => "GraphCompiler.Runtime.Devices.MinFold",
        _ => throw new NotSupportedException($"row kernels do not fold {f}"),
    };

    private static int IndexOf(IReadOnlyList<Node> nodes, Node n)
    {
        for (int i = 0; i < nodes.Count; i++) if (nodes[i] == n) return i;
        throw new InvalidOperationException($"{n.Name} is not an output of its kernel");
    }

    /// <summary>The body of a row kernel: per row (one group), the row values, then each pass strided over the group's threads.</summary>
    private sealed class RowWriter
    {
        private readonly RowKernel _d;
        private readonly Dictionary<Node, int> _in;
        private readonly Dictionary<Node, int> _out;
        private readonly HashSet<Node> _members;
        private readonly Dictionary<Node, IndexMap> _map;

        public RowWriter(RowKernel d, IReadOnlyList<Node> inputs)
        {
            _d = d;
            _in = inputs.Select((n, j) => (n, j)).ToDictionary(p => p.n, p => p.j);
            _out = d.Outputs.Select((n, j) => (n, j)).ToDictionary(p => p.n, p => p.j);
            _members = new HashSet<Node>(d.Members);
            _map = d.Operands.ToDictionary(o => o.Value, o => o.Map);
        }

        public List<string> Body()
        {
            var lines = new List<string> { "int r = ILGPU.Grid.IdxX;", "int row = r * inner;" };
            foreach (var kv in _in)
            {
                if (_map[kv.Key] == IndexMap.Scalar) lines.Add($"var s{kv.Value} = {Load(kv.Key, $"in{kv.Value}[0]")};");
                else if (_map[kv.Key] == IndexMap.ColumnBroadcast) lines.Add($"var c{kv.Value} = {Load(kv.Key, $"in{kv.Value}[r]")};");
            }
            var strided = _in.Where(kv => _map[kv.Key] == IndexMap.Strided).ToList();
            if (strided.Count > 0)
            {
                var space = _d.Space.Shape;
                lines.Add("int rest = r;");
                for (int a = space.Rank - 2; a > 0; a--) lines.Add($"int idx{a} = rest % d{a}; rest /= d{a};");
                lines.Add("int idx0 = rest;");
                foreach (var kv in strided) lines.Add($"int b{kv.Value} = {Cpu.FusedKernelEmitter.BroadcastRowBase(kv.Key.Shape, space)};");
            }
            RowValues(0, lines);
            foreach (var pass in _d.Passes)
            {
                foreach (var red in pass.Reductions) lines.Add($"float acc{red.Result.Id} = {Identity(red.Fold)};");
                lines.Add("for (int jj = ILGPU.Group.IdxX; jj < inner; jj += ILGPU.Group.DimX)");
                lines.Add("{");
                foreach (var n in pass.Loaded) lines.Add($"    var v{n.Id} = {Load(n, $"out{_out[n]}[row + jj]")}; // {n.Name} (stored earlier)");
                foreach (var m in pass.Computed) lines.Add($"    var v{m.Id} = {Expression(m, ElementRead)}; // {m.Name}");
                foreach (var red in pass.Reductions) lines.Add($"    acc{red.Result.Id} = {Fold(red.Fold, $"acc{red.Result.Id}", ElementRead(red.Input))};");
                foreach (var s in pass.Stored) lines.Add($"    out{_out[s]}[row + jj] = {Store(s, $"v{s.Id}")};");
                lines.Add("}");
                RowValues(pass.Index + 1, lines);
            }
            return lines;
        }

        /// <summary>The row values known before pass <paramref name="level"/>: the reductions just folded (combined over the group) and what follows from them.</summary>
        private void RowValues(int level, List<string> lines)
        {
            foreach (var m in _d.RowValuesBefore(level))
            {
                if (_d.RoleOf(m) == RowRole.Reduce)
                    lines.Add($"var v{m.Id} = GraphCompiler.Runtime.Devices.GroupReduce.Reduce<{FoldType(_d.Reductions[m].Fold)}>(acc{m.Id}); // {m.Name}");
                else lines.Add($"var v{m.Id} = {Expression(m, RowRead)}; // {m.Name}");
                if (_out.TryGetValue(m, out var o)) lines.Add($"if (ILGPU.Group.IsFirstThread) out{o}[r] = {Store(m, $"v{m.Id}")};");
            }
        }

        private string Expression(Node m, Func<Node, string> read)
        {
            var s = _d.Statements[m];
            return IlgpuScalarRenderer.Scalar(s.Template, s.Args.Select(read).ToList());
        }

        private string RowRead(Node n)
        {
            if (_members.Contains(n)) return $"v{n.Id}";
            if (Ops.Constant.SplatValue(n) is { } splat) return CSharpNames.Literal(splat, n.DType);
            return _map[n] switch
            {
                IndexMap.Scalar => $"s{_in[n]}",
                IndexMap.ColumnBroadcast => $"c{_in[n]}",
                var map => throw new NotSupportedException($"{_d.Name}: a row value reads a {map} operand"),
            };
        }

        private string ElementRead(Node n)
        {
            if (_members.Contains(n)) return $"v{n.Id}";
            if (Ops.Constant.SplatValue(n) is { } splat) return CSharpNames.Literal(splat, n.DType);
            int j = _in[n];
            return _map[n] switch
            {
                IndexMap.Contiguous => Load(n, $"in{j}[row + jj]"),
                IndexMap.Scalar => $"s{j}",
                IndexMap.ColumnBroadcast => $"c{j}",
                IndexMap.RowBroadcast => Load(n, $"in{j}[jj]"),
                IndexMap.Strided => Load(n, Cpu.FusedKernelEmitter.AlongInner(n.Shape, _d.Space.Shape) ? $"in{j}[b{j} + jj]" : $"in{j}[b{j}]"),
                var map => throw new NotSupportedException($"{_d.Name}: a row kernel does not address {map} operands"),
            };
        }
    }
}

/// <summary>How a device renderer spells an entry's operands: each value's view, dims, element counts, and the local holding the <c>DeviceProgram</c>.</summary>
internal sealed record DeviceCall(Func<Node, string> View, Func<Dim, string> Dim, Func<Shape, string> Count, string Program, bool Training = false);
