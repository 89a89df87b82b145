using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Ops;

/// <summary>
/// <c>tf.assign</c>: stores <c>value</c> into the variable read by input 0 after the graph's
/// outputs are computed; its result is the value. Not differentiable.
/// </summary>
public sealed class Assign : OpDef
{
    public override string Name => "assign";
    public override OpClass Class => OpClass.Effect;

    public override (DType DType, Shape Shape) InferType(IReadOnlyList<Node> inputs, Attrs attrs)
    {
        ExpectArity(inputs, 2, Name);
        if (inputs[0].Op is not VariableRead)
            throw new ShapeException($"{Name}: the target must be a variable, got {inputs[0].OpName}");
        if (inputs[0].DType != inputs[1].DType || !Broadcasting.BroadcastsTo(inputs[1].Shape, inputs[0].Shape))
            throw new ShapeException($"{Name}: cannot assign a value of {inputs[1].DType.ShortName()}{inputs[1].Shape} to variable '{inputs[0].Attrs.GetString("name")}' of {inputs[0].DType.ShortName()}{inputs[0].Shape}");
        return (inputs[0].DType, inputs[0].Shape);
    }

    public override RefTensor Evaluate(IReadOnlyList<RefTensor> inputs, Attrs attrs, int[] outShape)
    {
        var v = inputs[1];
        var data = new double[RefTensor.Count(outShape)];
        for (long i = 0; i < data.Length; i++) data[i] = v.Data[RefTensor.BroadcastIndex(i, outShape, v.Shape)];
        return new RefTensor(inputs[0].DType, outShape, data);
    }

    /// <summary>The full name of the variable an assign node writes.</summary>
    public static string Target(Node assign) => assign.Inputs[0].Attrs.GetString("name");
}
