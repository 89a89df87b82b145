using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Ops;

/// <summary>Broadcasts <c>a</c> to the shape of <c>like</c> (NumPy rules). Gradient: sum back to a's shape.</summary>
public sealed class BroadcastLike : OpDef
{
    public override string Name => "broadcast_like";
    public override OpClass Class => OpClass.Elementwise;
    public override bool HasGradient => true;

    public override (DType DType, Shape Shape) InferType(IReadOnlyList<Node> inputs, Attrs attrs)
    {
        ExpectArity(inputs, 2, Name);
        if (!Broadcasting.BroadcastsTo(inputs[0].Shape, inputs[1].Shape))
            throw new ShapeException($"{Name}: {inputs[0].Shape} does not broadcast to {inputs[1].Shape}");
        return (inputs[0].DType, inputs[1].Shape);
    }

    public override IReadOnlyList<Node?> Gradient(GraphBuilder g, Node node, Node dy) =>
        new[] { g.SumToLike(dy, node.Inputs[0]), null };

    public override void EmitCpu(Emit.CpuKernelContext ctx) =>
        ctx.Line($"GraphCompiler.Runtime.Execution.CpuOps.BroadcastTo<{ctx.T}>({ctx.In(0)}, {ctx.ShapeSpan(ctx.Node.Inputs[0].Shape)}, {ctx.Write}, {ctx.ShapeSpan(ctx.Node.Shape)});");

    public override RefTensor Evaluate(IReadOnlyList<RefTensor> inputs, Attrs attrs, int[] outShape)
    {
        var a = inputs[0];
        var result = new double[RefTensor.Count(outShape)];
        for (long i = 0; i < result.Length; i++) result[i] = a.Data[RefTensor.BroadcastIndex(i, outShape, a.Shape)];
        return new RefTensor(a.DType, outShape, result);
    }
}
