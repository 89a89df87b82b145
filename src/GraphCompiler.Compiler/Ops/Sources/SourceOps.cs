using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Ops;

/// <summary>A placeholder (<c>tf.placeholder</c>): a model-method parameter fed at each call.</summary>
public sealed class Input : OpDef
{
    public override string Name => "input";
    public override OpClass Class => OpClass.Source;
    public override (DType DType, Shape Shape) InferType(IReadOnlyList<Node> inputs, Attrs attrs) => (attrs.GetDType("dtype"), attrs.GetShape("shape"));
    public override RefTensor Evaluate(IReadOnlyList<RefTensor> inputs, Attrs attrs, int[] outShape) =>
        throw new InvalidOperationException($"input '{attrs.GetString("name")}' is fed by the caller, not evaluated");
}

/// <summary>The current value of a model variable.</summary>
public sealed class VariableRead : OpDef
{
    public override string Name => "variable";
    public override OpClass Class => OpClass.Source;
    public override (DType DType, Shape Shape) InferType(IReadOnlyList<Node> inputs, Attrs attrs) => (attrs.GetDType("dtype"), attrs.GetShape("shape"));
    public override RefTensor Evaluate(IReadOnlyList<RefTensor> inputs, Attrs attrs, int[] outShape) =>
        throw new InvalidOperationException($"variable '{attrs.GetString("name")}' is read from the model's state, not evaluated");
}

/// <summary>A constant tensor: <c>value</c> holds one value (broadcast) or exactly one per element.</summary>
public sealed class Constant : OpDef
{
    public override string Name => "constant";
    public override OpClass Class => OpClass.Source;

    public override (DType DType, Shape Shape) InferType(IReadOnlyList<Node> inputs, Attrs attrs)
    {
        var shape = attrs.GetShape("shape");
        var values = attrs.GetDoubles("value");
        if (!shape.IsStatic) throw new ShapeException($"a constant needs a static shape, got {shape}");
        if (values.Length != 1 && values.Length != shape.StaticElementCount)
            throw new ShapeException($"a constant of shape {shape} needs 1 or {shape.StaticElementCount} values, got {values.Length}");
        return (attrs.GetDType("dtype"), shape);
    }

    public override RefTensor Evaluate(IReadOnlyList<RefTensor> inputs, Attrs attrs, int[] outShape)
    {
        var values = attrs.GetDoubles("value");
        var dtype = attrs.GetDType("dtype");
        var data = new double[RefTensor.Count(outShape)];
        for (int i = 0; i < data.Length; i++) data[i] = RefTensor.Round(dtype, values.Length == 1 ? values[0] : values[i]);
        return new RefTensor(dtype, outShape, data);
    }

    /// <summary>The single value of a splat constant, or null.</summary>
    public static double? SplatValue(Node n) =>
        n.Op is Constant && n.Attrs.GetDoubles("value") is var v && (v.Length == 1 || v.All(x => x.Equals(v[0]))) && v.Length > 0 ? v[0] : null;
}

/// <summary>
/// The number of elements of <c>x</c> over <c>axes</c> (all when absent) as a scalar of <c>dtype</c>.
/// A primitive only because the count may be symbolic (a batch size known at call time);
/// with static shapes lowering folds it to a constant. No gradient flows to x.
/// </summary>
public sealed class ElementCount : OpDef
{
    public override string Name => "element_count";
    public override OpClass Class => OpClass.Opaque;
    public override bool HasGradient => true;

    public override (DType DType, Shape Shape) InferType(IReadOnlyList<Node> inputs, Attrs attrs)
    {
        ExpectArity(inputs, 1, Name);
        return (attrs.GetDType("dtype"), Shape.Scalar);
    }

    public override IReadOnlyList<Node?> Gradient(GraphBuilder g, Node node, Node dy) => new Node?[] { null };

    public override void EmitCpu(Emit.CpuKernelContext ctx)
    {
        var x = ctx.Node.Inputs[0].Shape;
        var axes = ctx.Node.Attrs.GetIntsOrNull("axes") ?? Enumerable.Range(0, x.Rank).ToArray();
        var count = axes.Length == 0 ? "1" : string.Join(" * ", axes.Select(a => ctx.Dim(x[a])));
        ctx.Line($"{ctx.Write}[0] = ({ctx.T})({count});");
    }

    public override RefTensor Evaluate(IReadOnlyList<RefTensor> inputs, Attrs attrs, int[] outShape)
    {
        var shape = inputs[0].Shape;
        var axes = attrs.GetIntsOrNull("axes") ?? Enumerable.Range(0, shape.Length).ToArray();
        double n = 1;
        foreach (var a in axes) n *= shape[a];
        return RefTensor.Scalar(n, attrs.GetDType("dtype"));
    }
}
