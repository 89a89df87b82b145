using GraphCompiler.Compiler.Emit;
using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Kernels;
using GraphCompiler.Compiler.Ops;

namespace GraphCompiler.Compiler.Backends.Cpu;

/// <summary>
/// Renders a <see cref="RowKernel"/> as a static C# method over its rows: per row, the row
/// values known before the first pass, then each of its passes (a loop over the
/// row's elements, <c>Vector&lt;T&gt;</c> first where every value it touches shares a vectorisable
/// dtype) followed by the reductions it finished and the row values computed from them. Large
/// kernels are split across cores by whole rows, like the other row kernels.
/// </summary>
internal static class RowKernelEmitter
{
    /// <summary>Method text; <paramref name="inputs"/> is the order of its span parameters (outputs follow; rows and inner come first).</summary>
    public static string Emit(RowKernel d, string methodName, out IReadOnlyList<Node> inputs) =>
        Emit(d, methodName, FusedKernelEmitter.NaturalForm(d), n => n.Name, out inputs, out _);

    /// <summary>
    /// The method in <paramref name="form"/> (whole or split); <paramref name="describe"/> names the members in the doc comment.
    /// <paramref name="needsDims"/>: the method also takes every dim of the space after rows and inner (a strided operand's rows).
    /// </summary>
    public static string Emit(RowKernel d, string methodName, KernelForm form, Func<Node, string> describe, out IReadOnlyList<Node> inputs, out bool needsDims)
    {
        var k = d.Source;
        var plan = d.Plan;
        var space = d.Space.Shape;
        inputs = d.Buffers.Select(o => o.Value).ToList();
        needsDims = d.Operands.Any(o => o.Map == IndexMap.Strided);
        var emitter = new Writer(d, inputs);
        var body = emitter.RangeBody();

        var inParams = inputs.Select((n, j) => $"ReadOnlySpan<{n.DType.CSharpName()}> in{j}").ToList();
        var outParams = k.Outputs.Select((n, j) => $"Span<{n.DType.CSharpName()}> out{j}").ToList();
        var ints = new List<string> { "inner" };
        if (needsDims) ints.AddRange(Enumerable.Range(0, space.Rank).Select(a => $"d{a}"));
        var sb = new List<string>
        {
            $"/// <summary>Row kernel over {space}, {plan.LastPass + 1} pass(es) per row: {string.Join(", ", k.Members.Select(describe))}.</summary>",
            $"private static void {methodName}({string.Join(", ", new[] { "int rows" }.Concat(ints.Select(i => "int " + i)).Concat(inParams).Concat(outParams))})",
            "{",
        };
        if (form != KernelForm.Split)
        {
            sb.Add("    int rowStart = 0, rowEnd = rows;");
            sb.AddRange(body);
            sb.Add("}");
            return CpuIdentifiers.Apply(string.Join("\n", sb), d, inputs);
        }
        sb.Add("    int count = rows * inner;");
        var spanArgs = inputs.Select((_, j) => $"in{j}").Concat(k.Outputs.Select((_, j) => $"out{j}")).ToList();
        FusedKernelEmitter.EmitSplit(sb, methodName + "Rows", methodName + "State", "ForRows(rows, count", "rows", ("rowStart", "rowEnd"),
            ints, spanArgs, inParams.Concat(outParams).ToList(), body);
        return CpuIdentifiers.Apply(string.Join("\n", sb), d, inputs);
    }

    /// <summary>Writes the lines of one range of rows.</summary>
    private sealed class Writer
    {
        private readonly RowKernel _d;
        private readonly RowKernelPlan _plan;
        private readonly Dictionary<Node, int> _in;
        private readonly Dictionary<Node, int> _out;
        private readonly HashSet<Node> _members;
        private readonly Dictionary<Node, IndexMap> _map;

        public Writer(RowKernel d, IReadOnlyList<Node> inputs)
        {
            _d = d;
            var plan = _plan = d.Plan;
            _in = inputs.Select((n, j) => (n, j)).ToDictionary(p => p.n, p => p.j);
            _out = plan.Outputs.Select((n, j) => (n, j)).ToDictionary(p => p.n, p => p.j);
            _members = new HashSet<Node>(plan.Members);
            _map = d.Operands.ToDictionary(o => o.Value, o => o.Map);
        }

        /// <summary>A member as a comment names it (relative to the kernel's scope).</summary>
        private string N(Node n) => _d.Names.Describe(n);

        public List<string> RangeBody()
        {
            var lines = new List<string>();
            foreach (var kv in _in.Where(kv => IsSingle(kv.Key))) lines.Add($"    var s{kv.Value} = in{kv.Value}[0];");
            if (ShortRowsPossible()) lines.AddRange(ShortRows());
            lines.Add("    for (int r = rowStart; r < rowEnd; r++)");
            lines.Add("    {");
            lines.Add("        int row = r * inner;");
            foreach (var kv in _in.Where(kv => ReadPerRow(kv.Key))) lines.Add($"        var c{kv.Value} = in{kv.Value}[r];");
            lines.AddRange(StridedRowBases());
            RowValues(0, lines);
            for (int p = 0; p <= _plan.LastPass; p++)
            {
                Pass(p, lines);
                RowValues(p + 1, lines);
            }
            lines.Add("    }");
            return lines;
        }

        private bool IsSingle(Node input) => _map.TryGetValue(input, out var map) && map == IndexMap.Scalar;

        /// <summary>A strided operand (a mask [batch, 1, 1, keys] under attention logits): its row's base once per row, then contiguous along the row.</summary>
        private bool IsStrided(Node input) => _map.TryGetValue(input, out var map) && map == IndexMap.Strided;

        /// <summary>A strided operand with one value per row (its last dim is 1), read like a column.</summary>
        private bool StridedPerRow(Node input) => IsStrided(input) && !FusedKernelEmitter.AlongInner(input.Shape, _plan.Space);

        /// <summary>Row r's coordinates, and the base offset of its row in each strided operand.</summary>
        private IEnumerable<string> StridedRowBases()
        {
            var strided = _in.Where(kv => IsStrided(kv.Key)).ToList();
            if (strided.Count == 0) yield break;
            int rank = _plan.Space.Rank;
            yield return "        int rest = r;";
            for (int a = rank - 2; a > 0; a--) yield return $"        int idx{a} = rest % d{a}; rest /= d{a};";
            yield return "        int idx0 = rest;";
            foreach (var kv in strided)
            {
                yield return $"        int b{kv.Value} = {FusedKernelEmitter.BroadcastRowBase(kv.Key.Shape, _plan.Space)};";
                if (StridedPerRow(kv.Key)) yield return $"        var c{kv.Value} = in{kv.Value}[b{kv.Value}];";
            }
        }

        /// <summary>An input read once per row: one value per row for a row-value member, or a [rows, 1] column for an element member.</summary>
        private bool ReadPerRow(Node input) => _map.TryGetValue(input, out var map) && map == IndexMap.ColumnBroadcast;

        /// <summary>
        /// Rows shorter than a vector (a sampled loss's k noise logits per example) would run the pass's
        /// element work scalar, one transcendental call per element. When the kernel is a single pass
        /// whose element work reads only whole-space inputs and scalars, that work runs flat over the
        /// elements of a block of rows in SIMD, its reduced values kept in a stack scratch, and each row
        /// then folds its own elements and computes its row values.
        /// </summary>
        private bool ShortRowsPossible()
        {
            // Plain sums of an input gain nothing from a scratch copy; rows known to be a vector long never take it.
            var inner = _plan.Space[_plan.Space.Rank - 1];
            if (_plan.LastPass != 0 || !VectorPass(0) || Reductions(0).Count == 0 || ComputedIn(0).Count == 0 || (inner.IsStatic && inner.Size >= MostVectorLanes)) return false;
            return ComputedIn(0).Concat(Reductions(0)).SelectMany(RowFusion.ReadInputs).All(i => _members.Contains(i)
                ? _plan.Roles[i] == RowRole.Element
                : _map[i] is IndexMap.Literal or IndexMap.Scalar or IndexMap.Contiguous);
        }

        /// <summary>Elements of a block of short rows (the scratch per reduction and per kept row value).</summary>
        private const int ShortRowsBlock = 256;

        /// <summary>The most lanes a <c>Vector&lt;T&gt;</c> has (AVX-512, 4-byte elements).</summary>
        private const int MostVectorLanes = 16;

        private IEnumerable<string> ShortRows()
        {
            var computed = ComputedIn(0);
            var reductions = Reductions(0);
            var stored = computed.Where(m => _plan.StorePass.TryGetValue(m, out var s) && s == 0).ToList();
            var passType = reductions.Concat(computed).First().DType;
            var vt = $"Vector<{passType.CSharpName()}>";
            var flatValues = FlatRowValueMembers(passType);
            yield return $"    if (Vector.IsHardwareAccelerated && inner < {vt}.Count && inner > 0)";
            yield return "    {";
            yield return "        // Rows shorter than a vector: the pass runs flat over a block of rows' elements, then each row folds its own.";
            foreach (var r in reductions) yield return $"        Span<{r.DType.CSharpName()}> red{r.Id} = stackalloc {r.DType.CSharpName()}[{ShortRowsBlock}];";
            foreach (var m in flatValues?.Where(ReadAfterPass) ?? Enumerable.Empty<Node>())
                yield return $"        Span<{m.DType.CSharpName()}> rv{m.Id} = stackalloc {m.DType.CSharpName()}[{ShortRowsBlock}];";
            var scalars = ScalarsReadBy(computed, reductions);
            scalars.AddRange((flatValues ?? new List<Node>()).SelectMany(RowFusion.ReadInputs).Where(i => IsSingle(i) && !scalars.Contains(i)).Distinct());
            foreach (var s in scalars) yield return $"        var {VectorName(s)} = new {vt}({ScalarRead(s)});";
            yield return $"        int block = {ShortRowsBlock} / inner;";
            yield return "        for (int r0 = rowStart; r0 < rowEnd; r0 += block)";
            yield return "        {";
            yield return "            int first = r0 * inner, i = first, end = Math.Min(rowEnd, r0 + block) * inner;";
            yield return $"            for (; i <= end - {vt}.Count; i += {vt}.Count)";
            yield return "            {";
            foreach (var l in Body(computed, new List<Node>(), reductions, stored, vector: true, flat: true)) yield return "                " + l;
            yield return "            }";
            yield return "            for (; i < end; i++)";
            yield return "            {";
            foreach (var l in Body(computed, new List<Node>(), reductions, stored, vector: false, flat: true)) yield return "                " + l;
            yield return "            }";
            if (flatValues is not null)
                foreach (var l in FlatRowValues(flatValues, vt)) yield return "            " + l;
            yield return "            for (int r = r0; r < Math.Min(rowEnd, r0 + block); r++)";
            yield return "            {";
            var perRow = new List<string> { "        int row = r * inner;" };
            foreach (var kv in _in.Where(kv => ReadPerRow(kv.Key))) perRow.Add($"        var c{kv.Value} = in{kv.Value}[r];");
            if (flatValues is not null) perRow.AddRange(flatValues.Where(ReadAfterPass).Select(m => $"        var v{m.Id} = rv{m.Id}[r - r0]; // {N(m)}"));
            else RowValues(0, perRow);
            foreach (var r in reductions)
            {
                perRow.Add($"        var acc{r.Id} = {Identity(r)};");
                perRow.Add($"        for (int jj = row - first; jj < row - first + inner; jj++) acc{r.Id} = {Fold(r, $"acc{r.Id}", $"red{r.Id}[jj]", "Math")};");
            }
            RowValues(1, perRow, fromScratch: true);
            foreach (var l in perRow) yield return "        " + l;
            yield return "            }";
            yield return "        }";
            yield return "        return;";
            yield return "    }";
        }

        /// <summary>
        /// The row values known before the pass (the positive logit's softplus and sigmoid of a sampled
        /// loss), or null when one of them has no vector form or reads more than per-row inputs and
        /// scalars: on short rows they then also run flat, over a block's rows in SIMD.
        /// </summary>
        private List<Node>? FlatRowValueMembers(DType passType)
        {
            var values = _plan.Members.Where(m => _plan.Roles[m] == RowRole.RowValue && _plan.Level[m] == 0).ToList();
            var set = new HashSet<Node>(values);
            bool Flat(Node m) => m.DType == passType
                && CpuScalarRenderer.Vectorizes(_d.Statements[m].Template, m.DType)
                && RowFusion.ReadInputs(m).All(i => set.Contains(i) || !_members.Contains(i)); // inputs of a row value are per row, single or splat
            return values.Count > 0 && values.All(Flat) ? values : null;
        }

        /// <summary>A row value that a later row value (after the pass) reads: kept per row in a scratch.</summary>
        private bool ReadAfterPass(Node value) => _plan.Members.Any(m => _plan.Level[m] > 0 && _plan.Roles[m] != RowRole.Element && RowFusion.ReadInputs(m).Contains(value));

        /// <summary>The loops over a block's rows computing the row values known before the pass (kept per row where read later).</summary>
        private List<string> FlatRowValues(List<Node> values, string vt)
        {
            var lines = new List<string> { "// Row values from the inputs, a vector of rows at a time.", "int blockRows = Math.Min(rowEnd, r0 + block) - r0, q = 0;" };
            string Arg(Node i, bool vector)
            {
                if (_members.Contains(i)) return $"v{i.Id}";
                if (Ops.Constant.SplatValue(i) is { } splat) return vector ? $"new {vt}({CSharpNames.Literal(splat, i.DType)})" : CSharpNames.Literal(splat, i.DType);
                if (IsSingle(i)) return vector ? VectorName(i) : $"s{_in[i]}";
                return vector ? $"new {vt}(in{_in[i]}.Slice(r0 + q))" : $"in{_in[i]}[r0 + q]";
            }
            foreach (var vector in new[] { true, false })
            {
                lines.Add(vector ? $"for (; q <= blockRows - {vt}.Count; q += {vt}.Count)" : "for (; q < blockRows; q++)");
                lines.Add("{");
                foreach (var m in values)
                {
                    lines.Add($"    var v{m.Id} = {Expression(m, vector, i => Arg(i, vector))}; // {N(m)}");
                    if (ReadAfterPass(m)) lines.Add(vector ? $"    v{m.Id}.CopyTo(rv{m.Id}.Slice(q));" : $"    rv{m.Id}[q] = v{m.Id};");
                    if (_out.TryGetValue(m, out var o)) lines.Add(vector ? $"    v{m.Id}.CopyTo(out{o}.Slice(r0 + q));" : $"    out{o}[r0 + q] = v{m.Id};");
                }
                lines.Add("}");
            }
            return lines;
        }

        /// <summary>The row values (and the reductions finished) before pass <paramref name="level"/>, in order.</summary>
        private void RowValues(int level, List<string> lines, bool fromScratch = false)
        {
            var now = _plan.Members.Where(m => _plan.Roles[m] != RowRole.Element && (_plan.Roles[m] == RowRole.Reduce ? _plan.Level[m] + 1 : _plan.Level[m]) == level).ToList();
            if (now.Count == 0) return;
            lines.Add(level == 0 ? "        // Row values from the inputs." : $"        // Row values after pass {level - 1}.");
            foreach (var m in now)
            {
                if (_plan.Roles[m] == RowRole.Reduce) lines.AddRange(fromScratch ? new[] { $"        var v{m.Id} = acc{m.Id}; // {N(m)}" } : FinishReduction(m));
                else lines.Add($"        var v{m.Id} = {Expression(m, vector: false)}; // {N(m)}");
                if (_out.TryGetValue(m, out var o)) lines.Add($"        out{o}[r] = v{m.Id};");
            }
        }

        private IEnumerable<string> FinishReduction(Node m)
        {
            var t = m.DType.CSharpName();
            if (!VectorPass(_plan.Level[m])) yield return $"        var v{m.Id} = acc{m.Id}; // {N(m)}";
            else if (_d.Reductions[m].Fold is ReductionFold.Max or ReductionFold.Min)
            {
                yield return $"        for (int lane = 0; lane < Vector<{t}>.Count; lane++) acc{m.Id} = {Fold(m, $"acc{m.Id}", $"vacc{m.Id}[lane]", "Math")};";
                yield return $"        var v{m.Id} = acc{m.Id}; // {N(m)}";
            }
            else yield return $"        var v{m.Id} = acc{m.Id} + Vector.Sum(vacc{m.Id}); // {N(m)}";
        }

        private string Fold(Node reduction, string acc, string x, string math) => _d.Reductions[reduction].Fold switch
        {
            ReductionFold.Max => $"{math}.Max({acc}, {x})",
            ReductionFold.Min => $"{math}.Min({acc}, {x})",
            ReductionFold.Sum => $"{acc} + {x}",
            var f => throw new InvalidOperationException($"row kernels do not fold {f}"),
        };

        private string Identity(Node reduction) => _d.Reductions[reduction].Fold switch
        {
            ReductionFold.Max => $"{reduction.DType.CSharpName()}.NegativeInfinity",
            ReductionFold.Min => $"{reduction.DType.CSharpName()}.PositiveInfinity",
            var f => CSharpNames.Literal(f.Identity(), reduction.DType),
        };

        private List<Node> Reductions(int pass) => _d.Passes[pass].Reductions.Select(r => r.Result).ToList();

        private List<Node> ComputedIn(int pass) => _d.Passes[pass].Computed.ToList();

        private List<Node> LoadedIn(int pass) => _d.Passes[pass].Loaded.ToList();

        /// <summary>
        /// A pass runs in <c>Vector&lt;T&gt;</c> registers when everything it computes, loads, reduces
        /// or reads shares one non-bool dtype and every op it computes has a vector form.
        /// </summary>
        private bool VectorPass(int pass)
        {
            var computed = ComputedIn(pass);
            var readers = computed.Concat(Reductions(pass)).ToList();
            var touched = readers.Concat(LoadedIn(pass)).Concat(readers.SelectMany(RowFusion.ReadInputs)).ToList();
            if (touched.Count == 0) return false;
            var t = touched[0].DType;
            return t != DType.Bool && touched.All(n => n.DType == t)
                && computed.All(m => CpuScalarRenderer.Vectorizes(_d.Statements[m].Template, m.DType));
        }

        private void Pass(int pass, List<string> lines)
        {
            var computed = ComputedIn(pass);
            var loaded = LoadedIn(pass);
            var reductions = Reductions(pass);
            var stored = _d.Passes[pass].Stored;
            var what = reductions.Select(r => N(r) == r.OpName ? N(r) : $"{r.OpName} {N(r)}").Concat(stored.Select(s => $"store {N(s)}"));
            lines.Add($"        // Pass {pass}: {string.Join("; ", what)}.");
            bool vector = VectorPass(pass);
            foreach (var r in reductions)
            {
                lines.Add($"        var acc{r.Id} = {Identity(r)};");
                if (vector) lines.Add($"        var vacc{r.Id} = new Vector<{r.DType.CSharpName()}>({Identity(r)});");
            }
            lines.Add("        {");
            lines.Add("            int jj = 0;");
            if (vector)
            {
                var vt = $"Vector<{reductions.Concat(computed).Concat(loaded).First().DType.CSharpName()}>";
                lines.Add("            if (Vector.IsHardwareAccelerated)");
                lines.Add("            {");
                foreach (var s in ScalarsReadBy(computed, reductions)) lines.Add($"                var {VectorName(s)} = new {vt}({ScalarRead(s)});");
                lines.Add($"                for (; jj <= inner - {vt}.Count; jj += {vt}.Count)");
                lines.Add("                {");
                lines.AddRange(Body(computed, loaded, reductions, stored, vector: true).Select(l => "                    " + l));
                lines.Add("                }");
                lines.Add("            }");
            }
            lines.Add("            for (; jj < inner; jj++)");
            lines.Add("            {");
            lines.AddRange(Body(computed, loaded, reductions, stored, vector: false).Select(l => "                " + l));
            lines.Add("            }");
            lines.Add("        }");
        }

        /// <summary>Row values and single inputs that the pass's element members read (broadcast into vectors once per row).</summary>
        private List<Node> ScalarsReadBy(List<Node> computed, List<Node> reductions) =>
            computed.Concat(reductions).SelectMany(RowFusion.ReadInputs).Distinct()
                .Where(i => _members.Contains(i) ? _plan.Roles[i] != RowRole.Element
                    : _map[i] is IndexMap.Scalar or IndexMap.ColumnBroadcast || StridedPerRow(i))
                .OrderBy(n => n.Id).ToList();

        private string VectorName(Node scalar) => _members.Contains(scalar) ? $"vv{scalar.Id}" : IsSingle(scalar) ? $"vs{_in[scalar]}" : $"vc{_in[scalar]}";

        /// <summary>A row value or single input as a scalar expression.</summary>
        private string ScalarRead(Node n)
        {
            if (_members.Contains(n)) return $"v{n.Id}";
            if (Ops.Constant.SplatValue(n) is { } splat) return CSharpNames.Literal(splat, n.DType);
            return IsSingle(n) ? $"s{_in[n]}" : $"c{_in[n]}";
        }

        /// <summary>An input of an element member (or a reduction) at element jj of the row.</summary>
        private string ElementRead(Node n, bool vector, string at = "row + jj")
        {
            var t = n.DType.CSharpName();
            if (_members.Contains(n))
                return _plan.Roles[n] == RowRole.Element ? $"v{n.Id}" : vector ? $"vv{n.Id}" : $"v{n.Id}";
            if (Ops.Constant.SplatValue(n) is { } splat)
                return vector ? $"new Vector<{t}>({CSharpNames.Literal(splat, n.DType)})" : CSharpNames.Literal(splat, n.DType);
            int j = _in[n];
            return _map[n] switch
            {
                IndexMap.Contiguous => vector ? $"new Vector<{t}>(in{j}.Slice({at}))" : $"in{j}[{at}]",
                IndexMap.Scalar => vector ? $"vs{j}" : $"s{j}",
                IndexMap.ColumnBroadcast => vector ? $"vc{j}" : $"c{j}",
                IndexMap.RowBroadcast => vector ? $"new Vector<{t}>(in{j}.Slice(jj))" : $"in{j}[jj]", // a bias along the row
                IndexMap.Strided when StridedPerRow(n) => vector ? $"vc{j}" : $"c{j}",
                IndexMap.Strided => vector ? $"new Vector<{t}>(in{j}.Slice(b{j} + jj))" : $"in{j}[b{j} + jj]",
                var map => throw new InvalidOperationException($"a row kernel does not address {map} operands"),
            };
        }

        private string Expression(Node m, bool vector, string at = "row + jj")
        {
            bool element = _plan.Roles[m] == RowRole.Element;
            return Expression(m, vector, i => element ? ElementRead(i, vector, at) : ScalarRead(i));
        }

        private string Expression(Node m, bool vector, Func<Node, string> arg)
        {
            var statement = _d.Statements[m];
            var args = statement.Args.Select(arg).ToList();
            return vector ? CpuScalarRenderer.Vector(statement.Template, args) : CpuScalarRenderer.Scalar(statement.Template, args);
        }

        /// <summary>
        /// One element (or one vector of elements) of a pass: loads, values, reductions, then stores.
        /// The flat short-row path (<paramref name="flat"/>, element index <c>i</c> over a block of rows)
        /// keeps the reduced values in its scratch instead of folding them.
        /// </summary>
        private IEnumerable<string> Body(List<Node> computed, List<Node> loaded, List<Node> reductions, IReadOnlyList<Node> stored, bool vector, bool flat = false)
        {
            string at = flat ? "i" : "row + jj";
            foreach (var n in loaded)
                yield return vector ? $"var v{n.Id} = new Vector<{n.DType.CSharpName()}>(out{_out[n]}.Slice({at})); // {N(n)} (stored earlier)" : $"var v{n.Id} = out{_out[n]}[{at}]; // {N(n)} (stored earlier)";
            foreach (var m in computed) yield return $"var v{m.Id} = {Expression(m, vector, at)}; // {N(m)}";
            foreach (var r in reductions)
            {
                var x = ElementRead(r.Inputs[0], vector, at);
                if (flat) yield return vector ? $"{x}.CopyTo(red{r.Id}.Slice(i - first));" : $"red{r.Id}[i - first] = {x};";
                else yield return vector ? $"vacc{r.Id} = {Fold(r, $"vacc{r.Id}", x, "Vector")};" : $"acc{r.Id} = {Fold(r, $"acc{r.Id}", x, "Math")};";
            }
            // Stores last: an output may share its storage with an input read above.
            foreach (var s in stored)
                yield return vector ? $"v{s.Id}.CopyTo(out{_out[s]}.Slice({at}));" : $"out{_out[s]}[{at}] = v{s.Id};";
        }
    }
}
