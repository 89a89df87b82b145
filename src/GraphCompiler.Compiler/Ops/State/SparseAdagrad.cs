using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Ops;

/// <summary>
/// Adagrad on the rows a sparse gradient touches, the variable's half. Inputs: the variable, the scalar
/// learning rate, its accumulator (slot <c>v/Adagrad</c>), then one <c>(values, ids)</c> part of a
/// <c>sparse_rows</c> gradient. With G[r] = Σ values[i] over the i where ids[i] = r (the dense gradient's
/// row r), every touched row becomes <c>v[r] − lr · G[r] / √(a[r] + G[r]²)</c>: exactly dense Adagrad on
/// those rows, whose untouched rows would not move (their gradient is 0). Reads the accumulator before
/// its update (<see cref="SparseAdagradAccumulate"/>), which the optimizer pass emits after this effect.
/// A primitive so that an embedding step costs the rows it used, never [vocab, dim].
/// </summary>
public sealed class SparseAdagrad : OpDef
{
    public override string Name => "sparse_adagrad";
    public override OpClass Class => OpClass.Effect;

    /// <summary>
    /// The two effects of a sparse Adagrad step, in the order they must run: the variable's update
    /// (reading the old accumulator), then the accumulator's.
    /// </summary>
    public static (Node Variable, Node Accumulator) Apply(GraphBuilder g, Node variable, Node accumulator, Node learningRate, Node values, Node ids, string name) =>
        (g.Apply("sparse_adagrad", new[] { variable, learningRate, accumulator, values, ids }, name: name),
         g.Apply("sparse_adagrad_accumulate", new[] { accumulator, learningRate, values, ids }, name: name + "_Adagrad"));

    public override (DType DType, Shape Shape) InferType(IReadOnlyList<Node> inputs, Attrs attrs)
    {
        if (inputs.Count != 5)
            throw new ShapeException($"{Name} takes a variable, a learning rate, its accumulator, values and ids, got {inputs.Count} inputs");
        if (inputs[0].Op is not VariableRead || inputs[2].Op is not VariableRead)
            throw new ShapeException($"{Name}: the variable and its accumulator must be variables, got {inputs[0].OpName} and {inputs[2].OpName}");
        if (!inputs[2].Shape.Equals(inputs[0].Shape))
            throw new ShapeException($"{Name}: accumulator {inputs[2].Shape} does not match variable {inputs[0].Shape}");
        SparseAdagradAccumulate.CheckPart(Name, inputs[0], inputs[3], inputs[4]);
        return (inputs[0].DType, inputs[0].Shape);
    }

    public override RefTensor Evaluate(IReadOnlyList<RefTensor> inputs, Attrs attrs, int[] outShape)
    {
        double lr = inputs[1].Data[0];
        var accumulator = inputs[2].Data;
        return SparseAdagradAccumulate.UpdateRows(inputs[0], inputs[3], inputs[4], outShape, (data, at, g) =>
            data[at] -= lr * g / Math.Sqrt(accumulator[at] + g * g));
    }

    public override void EmitCpu(Emit.CpuKernelContext ctx)
    {
        string rowLength = ctx.Count(new Shape(ctx.Node.Shape.Skip(1)));
        string index = ctx.Node.Inputs[4].DType.CSharpName();
        ctx.Line($"GraphCompiler.Runtime.Execution.CpuOps.SparseAdagrad<{ctx.T}, {index}>({ctx.In(3)}, {rowLength}, {ctx.In(4)}, {ctx.In(2)}, {ctx.Write}, {ctx.In(1)}[0]);");
    }
}
