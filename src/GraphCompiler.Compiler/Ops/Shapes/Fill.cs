using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Ops;

/// <summary>
/// A tensor of <c>shape</c> and <c>dtype</c> filled with <c>value</c> (<c>tf.fill</c>). A primitive
/// rather than a constant because its shape may be symbolic and because a large splat should be
/// filled at run time, not spelled out element by element in the generated code. No inputs, so
/// no gradient.
/// </summary>
public sealed class Fill : OpDef
{
    public override string Name => "fill";
    public override OpClass Class => OpClass.Opaque;

    public override (DType DType, Shape Shape) InferType(IReadOnlyList<Node> inputs, Attrs attrs)
    {
        ExpectArity(inputs, 0, Name);
        return (attrs.GetDType("dtype"), attrs.GetShape("shape"));
    }

    public override void EmitCpu(Emit.CpuKernelContext ctx) =>
        ctx.Line($"{ctx.Write}.Fill({Emit.CSharpNames.Literal(ctx.Node.Attrs.GetDouble("value"), ctx.Node.DType)});");

    public override RefTensor Evaluate(IReadOnlyList<RefTensor> inputs, Attrs attrs, int[] outShape)
    {
        var dtype = attrs.GetDType("dtype");
        var result = new double[RefTensor.Count(outShape)];
        double v = RefTensor.Round(dtype, attrs.GetDouble("value"));
        for (long i = 0; i < result.Length; i++) result[i] = v;
        return new RefTensor(dtype, outShape, result);
    }
}
