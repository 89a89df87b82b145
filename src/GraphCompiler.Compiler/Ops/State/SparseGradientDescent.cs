using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Ops;

/// <summary>
/// Gradient descent on the rows a sparse gradient touches: for each (values, ids) pair,
/// <c>var[ids[i]] −= lr · values[i]</c>. Inputs: the variable, the scalar learning rate, then the
/// pairs of a <c>sparse_rows</c> gradient. An effect like assign (its result is the variable's new
/// value); a primitive so that an embedding step costs the rows it used, never [vocab, dim].
/// </summary>
public sealed class SparseGradientDescent : OpDef
{
    public override string Name => "sparse_gradient_descent";
    public override OpClass Class => OpClass.Effect;

    public override (DType DType, Shape Shape) InferType(IReadOnlyList<Node> inputs, Attrs attrs)
    {
        if (inputs.Count < 4 || inputs.Count % 2 != 0)
            throw new ShapeException($"{Name} takes a variable, a learning rate and (values, ids) pairs, got {inputs.Count} inputs");
        if (inputs[0].Op is not VariableRead) throw new ShapeException($"{Name}: the target must be a variable, got {inputs[0].OpName}");
        return (inputs[0].DType, inputs[0].Shape);
    }

    public override RefTensor Evaluate(IReadOnlyList<RefTensor> inputs, Attrs attrs, int[] outShape)
    {
        var table = inputs[0];
        double lr = inputs[1].Data[0];
        long row = outShape.Skip(1).Aggregate(1L, (p, d) => p * d);
        var data = (double[])table.Data.Clone();
        for (int j = 2; j < inputs.Count; j += 2)
        {
            var (values, ids) = (inputs[j], inputs[j + 1]);
            for (long i = 0; i < ids.Data.Length; i++)
                for (long k = 0; k < row; k++)
                    data[(long)ids.Data[i] * row + k] -= lr * values.Data[i * row + k];
        }
        for (int i = 0; i < data.Length; i++) data[i] = RefTensor.Round(table.DType, data[i]);
        return new RefTensor(table.DType, outShape, data);
    }

    public override void EmitCpu(Emit.CpuKernelContext ctx)
    {
        string rowLength = ctx.Count(new Shape(ctx.Node.Shape.Skip(1)));
        for (int j = 2; j < ctx.Node.Inputs.Count; j += 2)
            ctx.Line($"GraphCompiler.Runtime.Execution.CpuOps.ScatterScaledRows<{ctx.T}, {ctx.Node.Inputs[j + 1].DType.CSharpName()}>({ctx.In(j)}, {rowLength}, {ctx.In(j + 1)}, {ctx.Write}, -{ctx.In(1)}[0]);");
    }
}
