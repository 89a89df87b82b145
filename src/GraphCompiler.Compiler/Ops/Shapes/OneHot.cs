using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Ops;

/// <summary>
/// <c>tf.one_hot</c>: a new axis of size <c>depth</c> at <c>axis</c> (normalised, 0..rank) holding
/// <c>on</c> where the position equals the index and <c>off</c> elsewhere; an index outside
/// [0, depth) gives a row of <c>off</c>, as in TensorFlow. Result dtype <c>dtype</c>. Indices are
/// integers, so no gradient flows through it (it is never on a path from a float variable).
/// </summary>
public sealed class OneHot : OpDef
{
    public override string Name => "one_hot";
    public override OpClass Class => OpClass.Injective;

    public override (DType DType, Shape Shape) InferType(IReadOnlyList<Node> inputs, Attrs attrs)
    {
        ExpectArity(inputs, 1, Name);
        var i = inputs[0].Shape;
        if (!inputs[0].DType.IsInteger()) throw new ShapeException($"{Name}: indices must be int32 or int64, got {inputs[0].DType.ShortName()}{i}");
        int depth = attrs.GetInt("depth"), axis = attrs.GetInt("axis");
        if (depth < 0) throw new ShapeException($"{Name}: depth {depth} is negative");
        if (axis < 0 || axis > i.Rank) throw new ShapeException($"{Name}: axis {axis} is out of range for indices of shape {i} (0..{i.Rank})");
        return (attrs.GetDType("dtype"), new Shape(i.Take(axis).Concat(new[] { Dim.Of(depth) }).Concat(i.Skip(axis))));
    }

    public override void EmitCpu(Emit.CpuKernelContext ctx)
    {
        var i = ctx.Node.Inputs[0].Shape;
        int axis = ctx.Node.Attrs.GetInt("axis");
        string outer = ctx.Count(new Shape(i.Take(axis))), inner = ctx.Count(new Shape(i.Skip(axis)));
        string Lit(string name) => Emit.CSharpNames.Literal(ctx.Node.Attrs.GetDouble(name), ctx.Node.DType);
        ctx.Line($"GraphCompiler.Runtime.Execution.CpuOps.OneHot<{ctx.T}, {ctx.Node.Inputs[0].DType.CSharpName()}>({ctx.In(0)}, {outer}, {ctx.Node.Attrs.GetInt("depth")}, {inner}, {Lit("on")}, {Lit("off")}, {ctx.Write});");
    }

    public override RefTensor Evaluate(IReadOnlyList<RefTensor> inputs, Attrs attrs, int[] outShape)
    {
        var indices = inputs[0];
        int axis = attrs.GetInt("axis"), depth = attrs.GetInt("depth");
        var dtype = attrs.GetDType("dtype");
        double on = RefTensor.Round(dtype, attrs.GetDouble("on")), off = RefTensor.Round(dtype, attrs.GetDouble("off"));
        long outer = ShapeRules.Product(indices.Shape, 0, axis), inner = ShapeRules.Product(indices.Shape, axis, indices.Rank);
        var result = new double[RefTensor.Count(outShape)];
        for (long o = 0; o < outer; o++)
            for (long d = 0; d < depth; d++)
                for (long k = 0; k < inner; k++)
                    result[(o * depth + d) * inner + k] = ShapeRules.Index(indices, o * inner + k, Name) == d ? on : off;
        return new RefTensor(dtype, outShape, result);
    }
}
