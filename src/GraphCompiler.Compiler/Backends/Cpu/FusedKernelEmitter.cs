using GraphCompiler.Compiler.Emit;
using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Kernels;
using GraphCompiler.Compiler.Ops;

namespace GraphCompiler.Compiler.Backends.Cpu;

/// <summary>
/// Renders an <see cref="ElementwiseKernel"/> as a static C# method: one loop over the kernel's space
/// that computes every statement in registers and stores only the kernel's outputs. A
/// <c>Vector&lt;T&gt;</c> loop handles the bulk when every template has a vector spelling: over the
/// flat index for a flat space, else along each row, with strided operands addressed from a base
/// computed once per row. Kernels of <see cref="ParallelElements"/> elements or more are split across cores.
/// </summary>
internal static class FusedKernelEmitter
{
    /// <summary>
    /// Method text; <paramref name="inputs"/> is the order of its span parameters (outputs follow);
    /// <paramref name="needsDims"/> says the call passes every dim after the count (a strided operand
    /// needs them), <paramref name="needsInner"/> that it passes the last dim (other per-row kernels).
    /// </summary>
    public static string Emit(ElementwiseKernel d, string methodName, out IReadOnlyList<Node> inputs, out bool needsDims, out bool needsInner) =>
        Emit(d, methodName, NaturalForm(d), n => n.Name, out inputs, out needsDims, out needsInner);

    /// <summary>
    /// The smallest form that serves <paramref name="d"/>: straight-line code for one element, one
    /// loop for a static space too small to split, else a loop split across cores.
    /// </summary>
    public static KernelForm NaturalForm(KernelDescription d)
    {
        var shape = d.Space.Shape;
        if (!shape.IsStatic || shape.StaticElementCount >= ParallelElements) return KernelForm.Split;
        return d is ElementwiseKernel { RowReduction: null } e && e.Space.Kind == IterationKind.Flat && shape.StaticElementCount == 1 ? KernelForm.Single : KernelForm.Whole;
    }

    /// <summary>
    /// The method in <paramref name="form"/> (at least the kernel's <see cref="NaturalForm"/>);
    /// <paramref name="describe"/> names the members in the doc comment. A <see cref="KernelForm.Single"/>
    /// method takes no count.
    /// </summary>
    public static string Emit(ElementwiseKernel d, string methodName, KernelForm form, Func<Node, string> describe, out IReadOnlyList<Node> inputs, out bool needsDims, out bool needsInner)
    {
        var shape = d.Space.Shape;
        var dtype = d.DType;
        var access = d.Operands.ToDictionary(o => o.Value, o => o.Map);
        inputs = d.Buffers.Select(o => o.Value).ToList();
        needsDims = access.Values.Contains(IndexMap.Strided);
        var reduction = d.RowReduction?.Result;
        needsInner = !needsDims && d.Space.Kind == IterationKind.PerRow;
        var sb = new List<string>();
        var inParams = inputs.Select((n, j) => $"ReadOnlySpan<{n.DType.CSharpName()}> in{j}");
        var outParams = d.Outputs.Select((n, j) => $"Span<{n.DType.CSharpName()}> out{j}");
        var dimParams = needsDims ? Enumerable.Range(0, shape.Rank).Select(a => $"int d{a}") : needsInner ? new[] { "int inner" } : Enumerable.Empty<string>();
        var parameters = (form == KernelForm.Single ? Enumerable.Empty<string>() : new[] { "int count" }).Concat(dimParams).Concat(inParams).Concat(outParams);
        sb.Add($"/// <summary>Fused: {string.Join(", ", d.Source.Members.Select(describe))}.</summary>");
        sb.Add($"private static void {methodName}({string.Join(", ", parameters)})");
        sb.Add("{");
        var inIndex = inputs.Select((n, j) => (n, j)).ToDictionary(p => p.n, p => p.j);
        var singleLoads = inIndex.Where(kv => access[kv.Key] == IndexMap.Scalar).Select(kv => $"    var s{kv.Value} = in{kv.Value}[0];").ToList();

        bool vectorizable = d.Body.All(s => CpuScalarRenderer.Vectorizes(s.Template, s.DType)) && d.OneDType && dtype != DType.Bool;
        string vt = $"Vector<{dtype.CSharpName()}>";
        if (needsInner || needsDims)
        {
            var rb = new List<string>(singleLoads);
            // Rows of the last dim: column values are loaded once per row, row values and full
            // inputs are contiguous in the row, so the inner loop vectorises without index math.
            // General broadcasts decompose the row index once per row (never per element): an
            // input whose last dim is the kernel's is contiguous from its row base, one whose last
            // dim is 1 is a single value per row.
            // The dims-form kernels take every dim; the row length is the last.
            var innerLines = needsDims ? new List<string> { $"    int inner = d{shape.Rank - 1};" } : new List<string>();
            if (vectorizable)
                foreach (var kv in inIndex)
                    if (access[kv.Key] == IndexMap.Scalar) rb.Add($"    var vs{kv.Value} = new {vt}(s{kv.Value});");
            if (vectorizable && reduction is not null && d.Outputs.Contains(reduction.Inputs[0]) && d.WindowStores.Count == 0
                && access.Values.All(a => a is IndexMap.Contiguous or IndexMap.Scalar or IndexMap.Literal))
                rb.AddRange(ShortRowsReduction(d, access, inIndex, vt, reduction));
            rb.Add("    for (int r = rowStart; r < rowEnd; r++)");
            rb.Add("    {");
            rb.Add("        int row = r * inner;");
            if (needsDims)
            {
                rb.Add("        int rest = r;");
                for (int a = shape.Rank - 2; a > 0; a--) rb.Add($"        int idx{a} = rest % d{a}; rest /= d{a};");
                rb.Add("        int idx0 = rest;");
            }
            foreach (var kv in inIndex)
            {
                int j = kv.Value;
                if (access[kv.Key] == IndexMap.ColumnBroadcast)
                {
                    rb.Add($"        var c{j} = in{j}[r];");
                    if (vectorizable) rb.Add($"        var vc{j} = new {vt}(c{j});");
                }
                else if (access[kv.Key] == IndexMap.Strided)
                {
                    rb.Add($"        int b{j} = {BroadcastRowBase(kv.Key.Shape, shape)};");
                    if (!AlongInner(kv.Key.Shape, shape))
                    {
                        rb.Add($"        var c{j} = in{j}[b{j}];");
                        if (vectorizable) rb.Add($"        var vc{j} = new {vt}(c{j});");
                    }
                }
            }
            if (reduction is not null)
            {
                // The reduction tail: each row's sum builds up in registers (lanes, then the tail).
                rb.Add("        var rowSum = default(" + dtype.CSharpName() + ");");
                if (vectorizable) rb.Add($"        var rowSums = {vt}.Zero;");
            }
            rb.Add("        int jj = 0;");
            if (vectorizable)
            {
                rb.Add($"        if (Vector.IsHardwareAccelerated)");
                rb.Add("        {");
                rb.Add($"            for (; jj <= inner - {vt}.Count; jj += {vt}.Count)");
                rb.Add("            {");
                foreach (var line in Body(d, access, inIndex, vector: true, full: "row + jj", rowIndex: "jj", reduction)) rb.Add("                " + line);
                rb.Add("            }");
                rb.Add("        }");
            }
            rb.Add("        for (; jj < inner; jj++)");
            rb.Add("        {");
            foreach (var line in Body(d, access, inIndex, vector: false, full: "row + jj", rowIndex: "jj", reduction)) rb.Add("            " + line);
            rb.Add("        }");
            if (reduction is not null)
                rb.Add($"        out{IndexOf(d.Outputs, reduction)}[r] = {(vectorizable ? "rowSum + Vector.Sum(rowSums)" : "rowSum")}; // {d.Names.Describe(reduction)}");
            rb.Add("    }");
            // With a reduction tail the row count is its output's length, which stays right when the
            // reduced axis is empty (each row then sums to zero).
            string rowsExpr = reduction is not null ? $"out{IndexOf(d.Outputs, reduction)}.Length" : "inner == 0 ? 0 : count / inner";
            var rowSpanArgs = inputs.Select((_, j) => $"in{j}").Concat(d.Outputs.Select((_, j) => $"out{j}")).ToList();
            var rowSpanParams = inParams.Concat(outParams).ToList();
            var dimArgs = needsDims ? Enumerable.Range(0, shape.Rank).Select(a => $"d{a}").ToList() : new List<string> { "inner" };
            if (form != KernelForm.Split)
            {
                sb.AddRange(innerLines);
                sb.Add($"    int rowStart = 0, rowEnd = {rowsExpr};");
                sb.AddRange(rb);
                sb.Add("}");
                return CpuIdentifiers.Apply(string.Join("\n", sb), d, inputs);
            }
            // Large row kernels are split across cores by whole rows (every row, and a reduction
            // tail's sum, stays on one core).
            sb.AddRange(innerLines);
            sb.Add($"    int rows = {rowsExpr};");
            EmitSplit(sb, methodName + "Rows", methodName + "State", "ForRows(rows, count", "rows", ("rowStart", "rowEnd"), dimArgs, rowSpanArgs, rowSpanParams, innerLines.Concat(rb).ToList());
            return CpuIdentifiers.Apply(string.Join("\n", sb), d, inputs);
        }

        if (form == KernelForm.Single)
        {
            // One element: no loop, nothing to vectorise.
            sb.AddRange(singleLoads);
            sb.AddRange(Body(d, access, inIndex, vector: false, full: "0", rowIndex: "0", reduction: null).Select(l => "    " + l));
            sb.Add("}");
            return CpuIdentifiers.Apply(string.Join("\n", sb), d, inputs);
        }

        // Flat kernels: one loop over [start, end); large ones are split across cores by the runtime
        // (KernelRanges), which hands each worker the kernel's spans through a ref struct state.
        var flat = new List<string>(singleLoads) { "    int i = start;" };
        if (vectorizable)
        {
            flat.Add($"    if (Vector.IsHardwareAccelerated && end - start >= {vt}.Count)");
            flat.Add("    {");
            foreach (var kv in inIndex)
                if (access[kv.Key] == IndexMap.Scalar) flat.Add($"        var vs{kv.Value} = new {vt}(s{kv.Value});");
            flat.Add($"        for (; i <= end - {vt}.Count; i += {vt}.Count)");
            flat.Add("        {");
            foreach (var line in Body(d, access, inIndex, vector: true, full: "i", rowIndex: "i", reduction: null)) flat.Add("            " + line);
            flat.Add("        }");
            flat.Add("    }");
        }
        flat.Add("    for (; i < end; i++)");
        flat.Add("    {");
        foreach (var line in Body(d, access, inIndex, vector: false, full: "i", rowIndex: "i", reduction: null)) flat.Add("        " + line);
        flat.Add("    }");
        var spanArgs = inputs.Select((_, j) => $"in{j}").Concat(d.Outputs.Select((_, j) => $"out{j}")).ToList();
        var spanParams = inParams.Concat(outParams).ToList();
        if (form != KernelForm.Split)
        {
            sb.Add("    int start = 0, end = count;");
            sb.AddRange(flat);
            sb.Add("}");
            return CpuIdentifiers.Apply(string.Join("\n", sb), d, inputs);
        }
        EmitSplit(sb, methodName + "Range", methodName + "State", "For(count", "count", ("start", "end"), new List<string>(), spanArgs, spanParams, flat);
        return CpuIdentifiers.Apply(string.Join("\n", sb), d, inputs);
    }

    /// <summary>
    /// A reduction tail over rows shorter than a vector (a sampled loss's k noise logits per example)
    /// would run its whole prologue scalar, one transcendental call per element. When every input is
    /// addressed by the flat index and the summed value is stored anyway, the prologue runs flat over
    /// the rows' elements in SIMD and each row then sums its stored values, in the same order as the
    /// row loop would.
    /// </summary>
    private static IEnumerable<string> ShortRowsReduction(ElementwiseKernel d, Dictionary<Node, IndexMap> access, Dictionary<Node, int> inIndex, string vt, Node reduction)
    {
        int summed = IndexOf(d.Outputs, reduction.Inputs[0]);
        yield return $"    if (Vector.IsHardwareAccelerated && inner < {vt}.Count)";
        yield return "    {";
        yield return "        int i = rowStart * inner, end = rowEnd * inner;";
        yield return $"        for (; i <= end - {vt}.Count; i += {vt}.Count)";
        yield return "        {";
        foreach (var line in Body(d, access, inIndex, vector: true, full: "i", rowIndex: "i", reduction, accumulate: false)) yield return "            " + line;
        yield return "        }";
        yield return "        for (; i < end; i++)";
        yield return "        {";
        foreach (var line in Body(d, access, inIndex, vector: false, full: "i", rowIndex: "i", reduction, accumulate: false)) yield return "            " + line;
        yield return "        }";
        yield return "        for (int r = rowStart; r < rowEnd; r++)";
        yield return "        {";
        yield return $"            var rowSum = default({reduction.DType.CSharpName()});";
        yield return $"            for (int jj = r * inner; jj < (r + 1) * inner; jj++) rowSum += out{summed}[jj];";
        yield return $"            out{IndexOf(d.Outputs, reduction)}[r] = rowSum; // {d.Names.Describe(reduction)}";
        yield return "        }";
        yield return "        return;";
        yield return "    }";
    }

    /// <summary>
    /// Elements from which a flat kernel may be split across cores (the runtime's
    /// <c>KernelRanges.ParallelElements</c>, repeated here so that kernels over smaller static
    /// shapes are emitted without the split at all).
    /// </summary>
    internal const int ParallelElements = 1 << 16;

    /// <summary>
    /// The rest of a kernel that may be split across cores: the method runs its range method on the
    /// whole when the work is small, else hands the runtime (<c>KernelRanges</c>) a ref struct of its
    /// dims and spans and a static lambda that runs one range. <paramref name="call"/> is the start of
    /// the runtime call (<c>For(count</c> or <c>ForRows(rows, count</c>), <paramref name="units"/> the
    /// whole range's end, <paramref name="bounds"/> the range method's parameter names.
    /// </summary>
    internal static void EmitSplit(List<string> sb, string range, string state, string call, string units, (string From, string To) bounds,
        List<string> intArgs, List<string> spanArgs, List<string> spanParams, List<string> rangeBody)
    {
        var args = intArgs.Concat(spanArgs).ToList();
        sb.Add($"    if (count < GraphCompiler.Runtime.Execution.KernelRanges.ParallelElements)");
        sb.Add("    {");
        sb.Add($"        {range}(0, {units}, {string.Join(", ", args)});");
        sb.Add("        return;");
        sb.Add("    }");
        sb.Add($"    var state = new {state} {{ {string.Join(", ", args.Select(a => $"{a} = {a}"))} }};");
        sb.Add($"    GraphCompiler.Runtime.Execution.KernelRanges.{call}, ref state, static (ref {state} s, int from, int to) => {range}(from, to, {string.Join(", ", args.Select(a => "s." + a))}));");
        sb.Add("}");
        sb.Add("");
        sb.Add($"/// <summary>What one core of <c>{range}</c>'s split needs: dims and spans.</summary>");
        sb.Add($"private ref struct {state}");
        sb.Add("{");
        foreach (var d in intArgs) sb.Add($"    public int {d};");
        foreach (var p in spanParams) sb.Add($"    public {p};");
        sb.Add("}");
        sb.Add("");
        sb.Add($"private static void {range}(int {bounds.From}, int {bounds.To}, {string.Join(", ", intArgs.Select(d => "int " + d).Concat(spanParams))})");
        sb.Add("{");
        sb.AddRange(rangeBody);
        sb.Add("}");
    }

    private static int IndexOf(IReadOnlyList<Node> nodes, Node n)
    {
        for (int i = 0; i < nodes.Count; i++) if (nodes[i] == n) return i;
        throw new InvalidOperationException($"{n.Name} is not an output of its kernel");
    }

    private static IEnumerable<string> Body(ElementwiseKernel d, Dictionary<Node, IndexMap> access, Dictionary<Node, int> inIndex, bool vector, string full, string rowIndex, Node? reduction, bool accumulate = true)
    {
        var shape = d.Space.Shape;
        var names = new Dictionary<Node, string>();
        string Value(Node n)
        {
            if (names.TryGetValue(n, out var local)) return local;
            var a = access[n];
            if (a == IndexMap.Literal)
            {
                var lit = CSharpNames.Literal(Ops.Constant.SplatValue(n)!.Value, n.DType);
                return vector ? $"new Vector<{n.DType.CSharpName()}>({lit})" : lit;
            }
            int j = inIndex[n];
            return (a, vector) switch
            {
                (IndexMap.Contiguous, false) => $"in{j}[{full}]",
                (IndexMap.Contiguous, true) => $"new Vector<{n.DType.CSharpName()}>(in{j}.Slice({full}))",
                (IndexMap.RowBroadcast, false) => $"in{j}[{rowIndex}]",
                (IndexMap.RowBroadcast, true) => $"new Vector<{n.DType.CSharpName()}>(in{j}.Slice({rowIndex}))",
                (IndexMap.ColumnBroadcast, false) => $"c{j}",
                (IndexMap.ColumnBroadcast, true) => $"vc{j}",
                (IndexMap.Scalar, false) => $"s{j}",
                (IndexMap.Scalar, true) => $"vs{j}",
                // A column window: its row starts at r·width + offset of the wider source.
                (IndexMap.ColumnWindow, false) => $"in{j}[{WindowRow(d, n)} + {rowIndex}]",
                (IndexMap.ColumnWindow, true) => $"new Vector<{n.DType.CSharpName()}>(in{j}.Slice({WindowRow(d, n)} + {rowIndex}))",
                (IndexMap.Strided, false) => AlongInner(n.Shape, shape) ? $"in{j}[b{j} + {rowIndex}]" : $"c{j}",
                (IndexMap.Strided, true) => AlongInner(n.Shape, shape) ? $"new Vector<{n.DType.CSharpName()}>(in{j}.Slice(b{j} + {rowIndex}))" : $"vc{j}",
                _ => throw new InvalidOperationException($"no access for {a}"),
            };
        }
        foreach (var statement in d.Body)
        {
            var args = statement.Args.Select(Value).ToList();
            var expr = vector ? CpuScalarRenderer.Vector(statement.Template, args) : CpuScalarRenderer.Scalar(statement.Template, args);
            var m = statement.Result;
            var local = "v" + m.Id;
            names[m] = local;
            yield return $"var {local} = {expr}; // {d.Names.Describe(m)}";
        }
        if (reduction is not null && accumulate)
            yield return vector ? $"rowSums += {names[reduction.Inputs[0]]};" : $"rowSum += {names[reduction.Inputs[0]]};";
        for (int o = 0; o < d.Outputs.Count; o++)
        {
            if (d.Outputs[o] == reduction) continue;
            if (d.StoreOf(d.Outputs[o]) is { } store)
            {
                // Each piece straight into its columns of the concat.
                for (int p = 0; p < store.Pieces.Count; p++)
                {
                    string at = $"r * {store.Width} + {store.Offsets[p]} + {rowIndex}";
                    yield return vector ? $"{Value(store.Pieces[p])}.CopyTo(out{o}.Slice({at}));" : $"out{o}[{at}] = {Value(store.Pieces[p])};";
                }
                continue;
            }
            yield return vector ? $"{Value(d.Outputs[o])}.CopyTo(out{o}.Slice({full}));" : $"out{o}[{full}] = {Value(d.Outputs[o])};";
        }
    }

    /// <summary>The first element of row r of a column window operand in its source.</summary>
    private static string WindowRow(KernelDescription d, Node n)
    {
        var w = d.Operands.First(o => o.Value == n).Window!;
        return $"r * {w.SourceWidth} + {w.Offset}";
    }

    /// <summary>True when a broadcast input's last dim is the kernel's (it is contiguous along a row).</summary>
    internal static bool AlongInner(Shape small, Shape big)
    {
        var last = small[small.Rank - 1];
        return !(last.IsStatic && last.Size == 1) || (big[big.Rank - 1].IsStatic && big[big.Rank - 1].Size == 1);
    }

    /// <summary>
    /// The flat index of row r's first element in a tensor of <paramref name="small"/> broadcast to
    /// <paramref name="big"/>, in terms of the row's coords idx0..idx(R−2) and the dims d0...
    /// </summary>
    internal static string BroadcastRowBase(Shape small, Shape big)
    {
        var terms = new List<string>();
        var stride = new List<string>();
        int offset = big.Rank - small.Rank;
        if (AlongInner(small, big)) stride.Add($"d{big.Rank - 1}");
        for (int a = big.Rank - 2; a >= offset; a--)
        {
            var d = small[a - offset];
            if (d.IsStatic && d.Size == 1) continue;
            terms.Add(stride.Count == 0 ? $"idx{a}" : $"idx{a} * {string.Join(" * ", stride)}");
            stride.Add($"d{a}");
        }
        return terms.Count == 0 ? "0" : string.Join(" + ", terms);
    }
}
