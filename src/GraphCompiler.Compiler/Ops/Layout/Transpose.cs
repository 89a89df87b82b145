using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Ops;

/// <summary>Permutes axes: output axis i is input axis <c>perm[i]</c>. Gradient: the inverse permutation of dy.</summary>
public sealed class Transpose : OpDef
{
    public override string Name => "transpose";
    public override OpClass Class => OpClass.Injective;
    public override bool HasGradient => true;

    public override (DType DType, Shape Shape) InferType(IReadOnlyList<Node> inputs, Attrs attrs)
    {
        ExpectArity(inputs, 1, Name);
        var x = inputs[0].Shape;
        var perm = attrs.GetInts("perm");
        if (perm.Length != x.Rank || perm.OrderBy(p => p).Where((p, i) => p != i).Any())
            throw new ShapeException($"{Name}: [{string.Join(", ", perm)}] is not a permutation of the {x.Rank} axes of {x}");
        return (inputs[0].DType, new Shape(perm.Select(p => x[p])));
    }

    public override IReadOnlyList<Node?> Gradient(GraphBuilder g, Node node, Node dy)
    {
        var perm = node.Attrs.GetInts("perm");
        var inverse = new int[perm.Length];
        for (int i = 0; i < perm.Length; i++) inverse[perm[i]] = i;
        return new[] { g.Apply("transpose", new[] { dy }, Attrs.Of(("perm", inverse))) };
    }

    public override void EmitCpu(Emit.CpuKernelContext ctx) =>
        ctx.Line($"GraphCompiler.Runtime.Execution.CpuOps.Transpose<{ctx.T}>({ctx.In(0)}, {ctx.ShapeSpan(ctx.Node.Inputs[0].Shape)}, {Emit.CpuKernelContext.Ints(ctx.Node.Attrs.GetInts("perm").Select(a => a.ToString(System.Globalization.CultureInfo.InvariantCulture)))}, {ctx.Write});");

    public override RefTensor Evaluate(IReadOnlyList<RefTensor> inputs, Attrs attrs, int[] outShape)
    {
        var x = inputs[0];
        var perm = attrs.GetInts("perm");
        var xStrides = RefTensor.Strides(x.Shape);
        var result = new double[x.Data.Length];
        for (long i = 0; i < result.Length; i++)
        {
            long rem = i, src = 0;
            for (int ax = outShape.Length - 1; ax >= 0; ax--)
            {
                long c = rem % outShape[ax];
                rem /= outShape[ax];
                src += c * xStrides[perm[ax]];
            }
            result[i] = x.Data[src];
        }
        return new RefTensor(x.DType, outShape, result);
    }
}
