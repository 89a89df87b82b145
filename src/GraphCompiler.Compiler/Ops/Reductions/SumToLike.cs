using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Ops;

/// <summary>
/// Sums <c>a</c> over the dims along which <c>like</c> was broadcast, giving like's shape: the
/// gradient of broadcasting. A primitive (rather than reduce_sum + reshape) because the reduced
/// axes are fixed by two shapes, which stays correct when dims are symbolic. Gradient: broadcast back.
/// </summary>
public sealed class SumToLike : OpDef
{
    public override string Name => "sum_to_like";
    public override OpClass Class => OpClass.Reduction;
    public override bool HasGradient => true;
    public override Kernels.ReductionFold? Fold => Kernels.ReductionFold.Sum;

    public override (DType DType, Shape Shape) InferType(IReadOnlyList<Node> inputs, Attrs attrs)
    {
        ExpectArity(inputs, 2, Name);
        if (!Broadcasting.BroadcastsTo(inputs[1].Shape, inputs[0].Shape))
            throw new ShapeException($"{Name}: {inputs[1].Shape} does not broadcast to {inputs[0].Shape}");
        return (inputs[0].DType, inputs[1].Shape);
    }

    public override IReadOnlyList<Node?> Gradient(GraphBuilder g, Node node, Node dy) =>
        new[] { g.BroadcastLike(dy, node.Inputs[0]), null };

    public override void EmitCpu(Emit.CpuKernelContext ctx) =>
        ctx.Line($"GraphCompiler.Runtime.Execution.CpuOps.SumTo<{ctx.T}>({ctx.In(0)}, {ctx.ShapeSpan(ctx.Node.Inputs[0].Shape)}, {ctx.Write}, {ctx.ShapeSpan(ctx.Node.Shape)});");

    public override RefTensor Evaluate(IReadOnlyList<RefTensor> inputs, Attrs attrs, int[] outShape)
    {
        var a = inputs[0];
        var result = new double[RefTensor.Count(outShape)];
        for (long i = 0; i < a.Data.Length; i++) result[RefTensor.BroadcastIndex(i, a.Shape, outShape)] += a.Data[i];
        for (int i = 0; i < result.Length; i++) result[i] = RefTensor.Round(a.DType, result[i]);
        return new RefTensor(a.DType, outShape, result);
    }
}
