using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Ops;

namespace GraphCompiler.Compiler.Emit;

/// <summary>
/// Emits one fused elementwise kernel as a static method: one loop over the kernel's shape that
/// computes every member in registers and stores only the kernel's outputs. When every input is
/// either full-size or a single value, a <c>Vector&lt;T&gt;</c> loop handles the bulk.
/// </summary>
internal static class FusedKernelEmitter
{
    private enum Access { Full, Single, Broadcast, Literal }

    /// <summary>Method text; <paramref name="inputs"/> is the order of its span parameters (outputs follow).</summary>
    public static string Emit(Kernel k, string methodName, out IReadOnlyList<Node> inputs, out bool needsDims)
    {
        var shape = k.Shape;
        var dtype = k.Members[k.Members.Count - 1].DType;
        var access = new Dictionary<Node, Access>();
        foreach (var i in k.Inputs)
        {
            access[i] = Ops.Constant.SplatValue(i) is not null ? Access.Literal
                : i.Shape.Equals(shape) ? Access.Full
                : i.Shape.IsStatic && i.Shape.StaticElementCount == 1 ? Access.Single
                : Access.Broadcast;
        }
        inputs = k.Inputs.Where(i => access[i] != Access.Literal).ToList();
        needsDims = access.Values.Contains(Access.Broadcast);
        var sb = new List<string>();
        var inParams = inputs.Select((n, j) => $"ReadOnlySpan<{n.DType.CSharpName()}> in{j}");
        var outParams = k.Outputs.Select((n, j) => $"Span<{n.DType.CSharpName()}> out{j}");
        var dimParams = needsDims ? Enumerable.Range(0, shape.Rank).Select(a => $"int d{a}") : Enumerable.Empty<string>();
        var parameters = new[] { "int count" }.Concat(dimParams).Concat(inParams).Concat(outParams);
        sb.Add($"/// <summary>Fused: {string.Join(", ", k.Members.Select(m => m.Name))}.</summary>");
        sb.Add($"private static void {methodName}({string.Join(", ", parameters)})");
        sb.Add("{");
        var inIndex = inputs.Select((n, j) => (n, j)).ToDictionary(p => p.n, p => p.j);
        foreach (var kv in inIndex)
            if (access[kv.Key] == Access.Single) sb.Add($"    var s{kv.Value} = in{kv.Value}[0];");

        bool vectorizable = !needsDims && k.Members.All(m => m.Op is BroadcastLike || (m.Op is ElementwiseOp e && e.VectorFriendly)) && k.Members.All(m => m.DType == dtype) && dtype != DType.Bool;
        sb.Add("    int i = 0;");
        if (vectorizable)
        {
            string vt = $"Vector<{dtype.CSharpName()}>";
            sb.Add($"    if (Vector.IsHardwareAccelerated && count >= {vt}.Count)");
            sb.Add("    {");
            foreach (var kv in inIndex)
                if (access[kv.Key] == Access.Single) sb.Add($"        var vs{kv.Value} = new {vt}(s{kv.Value});");
            sb.Add($"        for (; i <= count - {vt}.Count; i += {vt}.Count)");
            sb.Add("        {");
            foreach (var line in Body(k, access, inIndex, vector: true)) sb.Add("            " + line);
            sb.Add("        }");
            sb.Add("    }");
        }
        sb.Add("    for (; i < count; i++)");
        sb.Add("    {");
        if (needsDims)
        {
            sb.Add("        int rest = i;");
            for (int a = shape.Rank - 1; a > 0; a--) sb.Add($"        int c{a} = rest % d{a}; rest /= d{a};");
            if (shape.Rank > 0) sb.Add("        int c0 = rest;");
        }
        foreach (var line in Body(k, access, inIndex, vector: false)) sb.Add("        " + line);
        sb.Add("    }");
        sb.Add("}");
        return string.Join("\n", sb);
    }

    private static IEnumerable<string> Body(Kernel k, Dictionary<Node, Access> access, Dictionary<Node, int> inIndex, bool vector)
    {
        var shape = k.Shape;
        var names = new Dictionary<Node, string>();
        string Value(Node n, DType want)
        {
            if (names.TryGetValue(n, out var local)) return local;
            var a = access[n];
            if (a == Access.Literal)
            {
                var lit = CSharpNames.Literal(Ops.Constant.SplatValue(n)!.Value, n.DType);
                return vector ? $"new Vector<{n.DType.CSharpName()}>({lit})" : lit;
            }
            int j = inIndex[n];
            return (a, vector) switch
            {
                (Access.Full, false) => $"in{j}[i]",
                (Access.Full, true) => $"new Vector<{n.DType.CSharpName()}>(in{j}.Slice(i))",
                (Access.Single, false) => $"s{j}",
                (Access.Single, true) => $"vs{j}",
                _ => $"in{j}[{BroadcastIndex(n.Shape, shape)}]",
            };
        }
        foreach (var m in k.Members)
        {
            string expr = m.Op switch
            {
                ElementwiseOp e => e.CSharp(m.Inputs.Select(x => Value(x, m.DType)).ToList(), m.Attrs, m.DType),
                BroadcastLike => Value(m.Inputs[0], m.DType),
                _ => throw new InvalidOperationException($"{m.OpName} cannot be fused"),
            };
            var local = "v" + m.Id;
            names[m] = local;
            yield return $"var {local} = {expr}; // {m.Name}";
        }
        for (int o = 0; o < k.Outputs.Count; o++)
            yield return vector ? $"{names[k.Outputs[o]]}.CopyTo(out{o}.Slice(i));" : $"out{o}[i] = {names[k.Outputs[o]]};";
    }

    /// <summary>The flat index into a tensor of <paramref name="small"/> broadcast to <paramref name="big"/>, in terms of coords c0.. and dims d0...</summary>
    private static string BroadcastIndex(Shape small, Shape big)
    {
        var terms = new List<string>();
        var stride = new List<string>();
        int offset = big.Rank - small.Rank;
        for (int a = big.Rank - 1; a >= offset; a--)
        {
            var d = small[a - offset];
            if (d.IsStatic && d.Size == 1) continue;
            terms.Add(stride.Count == 0 ? $"c{a}" : $"c{a} * {string.Join(" * ", stride)}");
            stride.Add($"d{a}");
        }
        return terms.Count == 0 ? "0" : string.Join(" + ", terms);
    }
}
