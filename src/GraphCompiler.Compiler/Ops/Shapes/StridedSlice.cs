using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Ops;

/// <summary>
/// A strided window of x: <c>y[i] = x[begin + i·strides]</c> per axis, where a negative begin
/// counts from the end of x's dim (so a window can be fixed relative to the end of a symbolic
/// dim), strides are non-zero (negative walks backwards) and <c>shape</c> is y's shape. Lowering
/// resolves TensorFlow's slice, strided-slice masks and clamping into this form. Symbolic dims are
/// bounds-checked when the generated code runs. Gradient: strided_slice_grad places dy back into
/// zeros of x's shape.
/// </summary>
public sealed class StridedSlice : OpDef
{
    public override string Name => "strided_slice";
    public override OpClass Class => OpClass.Injective;
    public override bool HasGradient => true;

    public static Node Apply(GraphBuilder g, Node x, int[] begin, int[] strides, Shape shape) =>
        g.Apply("strided_slice", new[] { x }, Attrs.Of(("begin", begin), ("strides", strides), ("shape", shape)));

    public override (DType DType, Shape Shape) InferType(IReadOnlyList<Node> inputs, Attrs attrs)
    {
        ExpectArity(inputs, 1, Name);
        var shape = attrs.GetShape("shape");
        ShapeRules.CheckWindow(inputs[0].Shape, attrs.GetInts("begin"), attrs.GetInts("strides"), shape, Name);
        return (inputs[0].DType, shape);
    }

    public override IReadOnlyList<Node?> Gradient(GraphBuilder g, Node node, Node dy) =>
        new[] { g.Apply("strided_slice_grad", new[] { dy }, Attrs.Of(("begin", node.Attrs.GetInts("begin")), ("strides", node.Attrs.GetInts("strides")), ("shape", node.Inputs[0].Shape))) };

    public override void EmitCpu(Emit.CpuKernelContext ctx) =>
        ctx.Line($"GraphCompiler.Runtime.Execution.CpuOps.StridedSlice<{ctx.T}>({ctx.In(0)}, {ctx.ShapeSpan(ctx.Node.Inputs[0].Shape)}, {Ints(ctx.Node.Attrs.GetInts("begin"))}, {Ints(ctx.Node.Attrs.GetInts("strides"))}, {ctx.Write}, {ctx.ShapeSpan(ctx.Node.Shape)});");

    public override RefTensor Evaluate(IReadOnlyList<RefTensor> inputs, Attrs attrs, int[] outShape)
    {
        var x = inputs[0];
        var offsets = ShapeRules.WindowOffsets(x.Shape, attrs.GetInts("begin"), attrs.GetInts("strides"), outShape, Name);
        var result = new double[offsets.Length];
        for (long i = 0; i < offsets.Length; i++) result[i] = x.Data[offsets[i]];
        return new RefTensor(x.DType, outShape, result);
    }

    internal static string Ints(int[] values) => Emit.CpuKernelContext.Ints(values.Select(Concat.Int));
}

/// <summary>
/// The gradient of strided_slice: zeros of <c>shape</c> with dy placed at the strided window
/// (<c>begin</c>, <c>strides</c> as in strided_slice). Gradient: strided_slice of the upstream gradient.
/// </summary>
public sealed class StridedSliceGrad : OpDef
{
    public override string Name => "strided_slice_grad";
    public override OpClass Class => OpClass.Injective;
    public override bool HasGradient => true;

    public override (DType DType, Shape Shape) InferType(IReadOnlyList<Node> inputs, Attrs attrs)
    {
        ExpectArity(inputs, 1, Name);
        var shape = attrs.GetShape("shape");
        ShapeRules.CheckWindow(shape, attrs.GetInts("begin"), attrs.GetInts("strides"), inputs[0].Shape, Name);
        return (inputs[0].DType, shape);
    }

    public override IReadOnlyList<Node?> Gradient(GraphBuilder g, Node node, Node dy) =>
        new[] { StridedSlice.Apply(g, dy, node.Attrs.GetInts("begin"), node.Attrs.GetInts("strides"), node.Inputs[0].Shape) };

    public override void EmitCpu(Emit.CpuKernelContext ctx) =>
        ctx.Line($"GraphCompiler.Runtime.Execution.CpuOps.StridedPlace<{ctx.T}>({ctx.In(0)}, {ctx.ShapeSpan(ctx.Node.Inputs[0].Shape)}, {StridedSlice.Ints(ctx.Node.Attrs.GetInts("begin"))}, {StridedSlice.Ints(ctx.Node.Attrs.GetInts("strides"))}, default, {ctx.Write}, {ctx.ShapeSpan(ctx.Node.Shape)});");

    public override RefTensor Evaluate(IReadOnlyList<RefTensor> inputs, Attrs attrs, int[] outShape)
    {
        var dy = inputs[0];
        var offsets = ShapeRules.WindowOffsets(outShape, attrs.GetInts("begin"), attrs.GetInts("strides"), dy.Shape, Name);
        var result = new double[RefTensor.Count(outShape)];
        for (long i = 0; i < offsets.Length; i++) result[offsets[i]] = dy.Data[i];
        return new RefTensor(dy.DType, outShape, result);
    }
}
