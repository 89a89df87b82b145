using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Ops;

/// <summary>
/// Same elements in C order under a new <c>shape</c> (resolved by lowering: one -1 inferred).
/// Gradient: dy reshaped back to x's shape.
/// </summary>
public sealed class Reshape : OpDef
{
    public override string Name => "reshape";
    public override OpClass Class => OpClass.Injective;
    public override bool HasGradient => true;

    public override (DType DType, Shape Shape) InferType(IReadOnlyList<Node> inputs, Attrs attrs)
    {
        ExpectArity(inputs, 1, Name);
        var from = inputs[0].Shape;
        var to = attrs.GetShape("shape");
        if (!SameCount(from, to))
            throw new ShapeException($"{Name}: cannot reshape a tensor of shape {from} into shape {to} (element counts differ)");
        return (inputs[0].DType, to);
    }

    /// <summary>Element counts agree: equal static products and the same multiset of symbols.</summary>
    public static bool SameCount(Shape a, Shape b)
    {
        long pa = a.Where(d => d.IsStatic).Aggregate(1L, (p, d) => p * d.Size);
        long pb = b.Where(d => d.IsStatic).Aggregate(1L, (p, d) => p * d.Size);
        var sa = a.Where(d => !d.IsStatic).Select(d => d.Symbol).OrderBy(s => s, StringComparer.Ordinal);
        var sb = b.Where(d => !d.IsStatic).Select(d => d.Symbol).OrderBy(s => s, StringComparer.Ordinal);
        return (pa == pb && sa.SequenceEqual(sb)) || (pa == 0 && pb == 0);
    }

    /// <summary>Resolves a user shape in which one null dim (NumPy's -1) is inferred from the input.</summary>
    public static Shape Resolve(Shape from, IReadOnlyList<Dim?> requested)
    {
        string Text() => "[" + string.Join(", ", requested.Select(d => d?.ToString() ?? "-1")) + "]";
        var unknown = requested.Select((d, i) => (d, i)).Where(p => p.d is null).Select(p => p.i).ToList();
        if (unknown.Count > 1) throw new ShapeException($"reshape: only one dimension can be -1, got {Text()}");
        if (unknown.Count == 0) return new Shape(requested.Select(d => d!.Value));
        int inferred = unknown[0];
        var known = requested.Where(d => d is not null).Select(d => d!.Value).ToList();
        long knownProduct = known.Where(d => d.IsStatic).Aggregate(1L, (p, d) => p * d.Size);
        long total = from.Where(d => d.IsStatic).Aggregate(1L, (p, d) => p * d.Size);
        var fromSyms = from.Where(d => !d.IsStatic).Select(d => d.Symbol!).ToList();
        foreach (var d in known.Where(d => !d.IsStatic))
            if (!fromSyms.Remove(d.Symbol!)) throw new ShapeException($"reshape: cannot infer the -1 of {Text()} from a tensor of shape {from}");
        if (knownProduct == 0 || total % knownProduct != 0)
            throw new ShapeException($"reshape: cannot reshape a tensor of shape {from} into {Text()}");
        long rest = total / knownProduct;
        Dim resolved;
        if (fromSyms.Count == 0) resolved = Dim.Of((int)rest);
        else if (fromSyms.Count == 1 && rest == 1) resolved = Dim.Sym(fromSyms[0]);
        else throw new ShapeException($"reshape: the -1 of {Text()} would be a product of symbolic dims of {from}; give the dimension explicitly");
        return new Shape(requested.Select((d, i) => i == inferred ? resolved : d!.Value));
    }

    public override IReadOnlyList<Node?> Gradient(GraphBuilder g, Node node, Node dy) =>
        new[] { g.Apply("reshape", new[] { dy }, Attrs.Of(("shape", node.Inputs[0].Shape))) };

    public override void EmitCpu(Emit.CpuKernelContext ctx) => ctx.Line($"{ctx.In(0)}.CopyTo({ctx.Write});");

    public override RefTensor Evaluate(IReadOnlyList<RefTensor> inputs, Attrs attrs, int[] outShape) =>
        new(inputs[0].DType, outShape, (double[])inputs[0].Data.Clone());
}
