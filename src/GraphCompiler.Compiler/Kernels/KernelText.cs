using System.Globalization;
using System.Text;
using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Kernels;

/// <summary>
/// The kernel plan's text form, for dumps and tests: each kernel description (values as <c>%id</c>,
/// as in the IR text) and the memory plan.
/// <code>
/// kernel K0_mul_add flat f32[n]
///   in %1 contiguous
///   in %2 literal 1
///   %3 = (%1 * %1)
///   %4 = (%3 + %2)
///   out %4 in-place
/// </code>
/// </summary>
public static class KernelText
{
    public static string Write(IReadOnlyList<KernelDescription> kernels)
    {
        var sb = new StringBuilder();
        foreach (var k in kernels) Write(sb, k);
        return sb.ToString();
    }

    public static string Write(MemoryPlan plan)
    {
        var sb = new StringBuilder("memory\n");
        foreach (var b in plan.Buffers)
            sb.Append("  buffer ").Append(b.Index).Append(' ').Append(b.DType.ShortName()).Append(b.Shape)
              .Append(" %").Append(b.Value.Id).Append(" live ").Append(b.FirstUse).Append("..").Append(b.LastUse).Append('\n');
        foreach (var kv in plan.BufferOf.Where(kv => kv.Value.Value != kv.Key).OrderBy(kv => kv.Key.Id))
            sb.Append("  %").Append(kv.Key.Id).Append(" in buffer ").Append(kv.Value.Index).Append('\n');
        foreach (var kv in plan.Sinks.OrderBy(kv => kv.Key.Id))
            sb.Append("  %").Append(kv.Key.Id).Append(" into variable ").Append(Attrs.FormatValue(kv.Value)).Append('\n');
        sb.Append("  variables ").Append(string.Join(", ", plan.Variables.Select(v => Attrs.FormatValue(v)))).Append('\n');
        return sb.ToString();
    }

    private static void Write(StringBuilder sb, KernelDescription k)
    {
        var kind = k switch { ElementwiseKernel => "kernel", RowKernel => "rows", GemmCall => "gemm", ConvolutionCall => "window", AttentionCall => "attention", AttentionGradientCall => "attention backward", _ => "call" };
        sb.Append(kind).Append(' ').Append(k.Name).Append(' ').Append(Space(k.Space.Kind));
        var shape = k.Space.Shape;
        sb.Append(' ').Append(k.Outputs.Count > 0 ? k.Outputs[0].DType.ShortName() : "").Append(shape).Append('\n');
        foreach (var o in k.Operands)
        {
            sb.Append("  in %").Append(o.Value.Id).Append(' ').Append(Map(o.Map));
            if (o.Literal is { } v) sb.Append(' ').Append(v.ToString("R", CultureInfo.InvariantCulture));
            if (o.Window is { } w) sb.Append(" of %").Append(o.Storage.Id).Append(" at column ").Append(w.Offset).Append(" of ").Append(w.SourceWidth);
            sb.Append('\n');
        }
        switch (k)
        {
            case ElementwiseKernel e:
                foreach (var s in e.Body) Statement(sb, "  ", s);
                if (e.RowReduction is { } tail) Reduction(sb, "  ", tail);
                break;
            case RowKernel row:
                foreach (var pass in row.Passes)
                {
                    foreach (var m in row.RowValuesBefore(pass.Index).Where(m => row.RoleOf(m) == RowRole.RowValue)) Statement(sb, "  row ", row.Statements[m]);
                    sb.Append("  pass ").Append(pass.Index).Append('\n');
                    foreach (var m in pass.Loaded) sb.Append("    load %").Append(m.Id).Append('\n');
                    foreach (var m in pass.Computed) Statement(sb, "    ", row.Statements[m]);
                    foreach (var r in pass.Reductions) Reduction(sb, "    ", r);
                    foreach (var m in pass.Stored) sb.Append("    store %").Append(m.Id).Append('\n');
                }
                foreach (var m in row.RowValuesBefore(row.Passes.Count).Where(m => row.RoleOf(m) == RowRole.RowValue)) Statement(sb, "  row ", row.Statements[m]);
                break;
            case GemmCall g:
                sb.Append("  %").Append(g.Product.Id).Append(" = %").Append(g.A.Id).Append(g.TransposeA ? "ᵀ" : "").Append(" · %").Append(g.B.Id).Append(g.TransposeB ? "ᵀ" : "").Append('\n');
                if (g.Bias is { } bias) sb.Append("  epilogue + %").Append(bias.Id).Append(g.Relu ? ", relu" : "").Append(" → %").Append(g.Result.Id).Append('\n');
                if (g.ColumnSums is { } sums) sb.Append("  %").Append(sums.Id).Append(" = column sums of %").Append(g.B.Id).Append('\n');
                break;
            case ConvolutionCall w:
                sb.Append("  %").Append(w.Op.Id).Append(" = ").Append(w.Op.OpName).Append(' ').Append(w.Op.Attrs).Append('\n');
                if (w.Bias is { } convBias) sb.Append("  epilogue + %").Append(convBias.Id).Append(w.Relu ? ", relu" : "").Append(w.Pool is null ? $" → %{w.Result.Id}" : "").Append('\n');
                if (w.ReluMask) sb.Append("  relu mask → %").Append(w.Result.Id).Append('\n');
                if (w.Pool is { } pool) sb.Append("  pooled ").Append(pool.OpName).Append(' ').Append(pool.Attrs).Append(" → %").Append(w.Result.Id).Append('\n');
                break;
            case AttentionCall a:
                sb.Append("  %").Append(a.Chain.Output.Id).Append(" = softmax(").Append(a.Chain.Scale.ToString("R", CultureInfo.InvariantCulture)).Append(" · %").Append(a.Chain.Query.Id).Append(" · %").Append(a.Chain.Key.Id).Append('ᵀ')
                    .Append(string.Concat(a.Chain.Biases.Select(b => " + %" + b.Id))).Append(") · %").Append(a.Chain.Value.Id).Append('\n');
                break;
            case AttentionGradientCall b:
                sb.Append("  %").Append(b.Gradient.QueryGrad.Id).Append(", %").Append(b.Gradient.KeyGrad.Id).Append(", %").Append(b.Gradient.ValueGrad.Id)
                    .Append(" = d(%").Append(b.Gradient.Forward.Output.Id).Append(")/d(q, k, v) · %").Append(b.Gradient.OutputGrad.Id).Append('\n');
                break;
            case LibraryCall c:
                sb.Append("  %").Append(c.Node.Id).Append(" = ").Append(c.Node.OpName).Append(c.Node.Attrs.Entries.Any() ? " " + c.Node.Attrs : "").Append('\n');
                break;
        }
        foreach (var o in k.Outputs)
        {
            sb.Append("  out %").Append(o.Id).Append(k.InPlaceOutputs.Contains(o) ? " in-place" : "");
            if ((k as ElementwiseKernel)?.StoreOf(o) is { } store)
                sb.Append(" columns ").Append(string.Join(", ", store.Pieces.Select((p, i) => $"%{p.Id} at {store.Offsets[i]}"))).Append(" of ").Append(store.Width);
            sb.Append('\n');
        }
    }

    private static void Statement(StringBuilder sb, string indent, KernelStatement s) =>
        sb.Append(indent).Append('%').Append(s.Result.Id).Append(" = ").Append(Expression(s.Template, s.Args.Select(a => "%" + a.Id).ToList())).Append('\n');

    private static void Reduction(StringBuilder sb, string indent, KernelReduction r) =>
        sb.Append(indent).Append("reduce %").Append(r.Result.Id).Append(" = ").Append(r.Fold.ToString().ToLowerInvariant()).Append("(%").Append(r.Input.Id).Append(") per row\n");

    /// <summary>A template in a neutral infix form: <c>(%1 * %1)</c>, <c>exp(%4)</c>, <c>select(c, a, b)</c>.</summary>
    public static string Expression(ScalarExpr e, IReadOnlyList<string> args) => e switch
    {
        ScalarArg a => args[a.Index],
        ScalarLiteral l => l.Value.ToString("R", CultureInfo.InvariantCulture),
        ScalarUnary u => (u.Op == UnaryOp.Neg ? "-" : "!") + Expression(u.X, args),
        ScalarBinary b => "(" + Expression(b.A, args) + " " + b.Op.Symbol() + " " + Expression(b.B, args) + ")",
        ScalarSelect s => $"select({Expression(s.Condition, args)}, {Expression(s.IfTrue, args)}, {Expression(s.IfFalse, args)})",
        ScalarCall c => c.Function.ToString().ToLowerInvariant() + "(" + Expression(c.X, args) + (c.Y is null ? "" : ", " + Expression(c.Y, args)) + ")",
        ScalarConvert v => $"{v.To.ShortName()}({Expression(v.X, args)})",
        _ => e.ToString(),
    };

    private static string Space(IterationKind kind) => kind switch
    {
        IterationKind.Flat => "flat",
        IterationKind.PerRow => "per-row",
        IterationKind.PerGatheredRow => "per-gathered-row",
        _ => "library",
    };

    private static string Map(IndexMap map) => map switch
    {
        IndexMap.Contiguous => "contiguous",
        IndexMap.Scalar => "scalar",
        IndexMap.Literal => "literal",
        IndexMap.RowBroadcast => "row-broadcast",
        IndexMap.ColumnBroadcast => "column-broadcast",
        IndexMap.Strided => "strided",
        IndexMap.ColumnWindow => "column-window",
        _ => "gathered",
    };
}
