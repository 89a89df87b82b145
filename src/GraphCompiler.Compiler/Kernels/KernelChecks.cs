using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Kernels;

/// <summary>
/// Validity checks of the kernel plan, run after kernel lowering and the memory plan as the graph
/// passes are checked after each of theirs, so a broken pass fails at its own name.
/// </summary>
public static class KernelChecks
{
    /// <summary>Every value a body reads is an operand or computed before; every output is computed by its kernel.</summary>
    public static void Validate(IReadOnlyList<KernelDescription> kernels, string after)
    {
        foreach (var k in kernels)
        {
            var known = new HashSet<Node>(k.Operands.Select(o => o.Value));
            IEnumerable<KernelStatement> statements = k switch
            {
                ElementwiseKernel e => e.Body,
                RowKernel r => r.Members.Where(m => r.RoleOf(m) != RowRole.Reduce).Select(m => r.Statements[m]),
                _ => Array.Empty<KernelStatement>(),
            };
            var computed = new HashSet<Node>(k.Source.Members);
            foreach (var s in statements)
            {
                if (s.Args.Count != Arity(s.Template)) throw new InvalidOperationException($"after {after}: {k.Name} computes %{s.Result.Id} from {s.Args.Count} values, its template reads {Arity(s.Template)}");
                foreach (var a in s.Args)
                    if (!known.Contains(a) && !computed.Contains(a)) throw new InvalidOperationException($"after {after}: {k.Name} reads %{a.Id}, which is neither an operand nor computed in it");
                if (k is ElementwiseKernel) known.Add(s.Result); // a loop body runs in order; row kernels order by passes
            }
            foreach (var o in k.Outputs)
                if (!computed.Contains(o)) throw new InvalidOperationException($"after {after}: {k.Name} stores %{o.Id}, which it does not compute");
            foreach (var o in k.InPlaceOutputs)
                if (!k.Outputs.Contains(o)) throw new InvalidOperationException($"after {after}: {k.Name} lets %{o.Id} reuse an input's storage but does not store it");
        }
    }

    /// <summary>Every value a kernel stores has a buffer or a variable, and every buffer lives from its first store.</summary>
    public static void Validate(MemoryPlan plan, IReadOnlyList<KernelDescription> kernels, string after)
    {
        for (int k = 0; k < kernels.Count; k++)
            foreach (var o in kernels[k].Outputs)
            {
                if (plan.Sinks.ContainsKey(o)) continue;
                if (!plan.BufferOf.TryGetValue(o, out var buffer)) throw new InvalidOperationException($"after {after}: %{o.Id} ({o.Name}) has no storage");
                if (buffer.FirstUse > k || buffer.LastUse < k) throw new InvalidOperationException($"after {after}: buffer {buffer.Index} is not live at kernel {k}, which stores %{o.Id} in it");
            }
    }

    /// <summary>How many arguments a template reads (one more than its largest argument index).</summary>
    private static int Arity(ScalarExpr e) => e switch
    {
        ScalarArg a => a.Index + 1,
        ScalarUnary u => Arity(u.X),
        ScalarBinary b => Math.Max(Arity(b.A), Arity(b.B)),
        ScalarSelect s => Math.Max(Arity(s.Condition), Math.Max(Arity(s.IfTrue), Arity(s.IfFalse))),
        ScalarCall c => Math.Max(Arity(c.X), c.Y is null ? 0 : Arity(c.Y)),
        ScalarConvert v => Arity(v.X),
        _ => 0,
    };
}
