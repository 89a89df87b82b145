using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Ops;

/// <summary>
/// Adagrad on the rows a sparse gradient touches, the accumulator's half: inputs the accumulator, the
/// learning rate (unused; it keeps a scalar, never a same-shaped value, in the position the fusion
/// planner reads as an assigned value), values and ids; every touched row becomes a[r] + G[r]² with
/// G[r] the summed gradient of row r (see <see cref="SparseAdagrad"/>).
/// </summary>
public sealed class SparseAdagradAccumulate : OpDef
{
    public override string Name => "sparse_adagrad_accumulate";
    public override OpClass Class => OpClass.Effect;

    public override (DType DType, Shape Shape) InferType(IReadOnlyList<Node> inputs, Attrs attrs)
    {
        if (inputs.Count != 4)
            throw new ShapeException($"{Name} takes an accumulator, a learning rate, values and ids, got {inputs.Count} inputs");
        if (inputs[0].Op is not VariableRead) throw new ShapeException($"{Name}: the accumulator must be a variable, got {inputs[0].OpName}");
        CheckPart(Name, inputs[0], inputs[2], inputs[3]);
        return (inputs[0].DType, inputs[0].Shape);
    }

    public override RefTensor Evaluate(IReadOnlyList<RefTensor> inputs, Attrs attrs, int[] outShape) =>
        UpdateRows(inputs[0], inputs[2], inputs[3], outShape, (data, at, g) => data[at] += g * g);

    public override void EmitCpu(Emit.CpuKernelContext ctx)
    {
        string rowLength = ctx.Count(new Shape(ctx.Node.Shape.Skip(1)));
        string index = ctx.Node.Inputs[3].DType.CSharpName();
        ctx.Line($"GraphCompiler.Runtime.Execution.CpuOps.SparseAdagradAccumulate<{ctx.T}, {index}>({ctx.In(2)}, {rowLength}, {ctx.In(3)}, {ctx.Write});");
    }

    /// <summary>Checks that values are one row of the table per id.</summary>
    internal static void CheckPart(string op, Node table, Node values, Node ids)
    {
        if (!ids.DType.IsInteger()) throw new ShapeException($"{op}: ids must be int32 or int64, got {ids.DType.ShortName()}{ids.Shape}");
        var expected = new Shape(ids.Shape.Concat(table.Shape.Skip(1)));
        if (values.DType != table.DType || !values.Shape.Equals(expected))
            throw new ShapeException($"{op}: values {values.DType.ShortName()}{values.Shape} do not match ids {ids.Shape} and rows of table {table.Shape} (expected {expected})");
    }

    /// <summary>
    /// The reference update of both halves: a copy of <paramref name="table"/> in which <paramref name="update"/>
    /// changes each element of every touched row given its flat index and its summed gradient G, rounded to the table's dtype.
    /// </summary>
    internal static RefTensor UpdateRows(RefTensor table, RefTensor values, RefTensor ids, int[] tableShape, Action<double[], long, double> update)
    {
        long row = tableShape.Skip(1).Aggregate(1L, (p, d) => p * d);
        var sums = new SortedDictionary<long, double[]>();
        for (long i = 0; i < ids.Data.Length; i++)
        {
            long id = (long)ids.Data[i];
            if (!sums.TryGetValue(id, out var sum)) sums[id] = sum = new double[row];
            for (long k = 0; k < row; k++) sum[k] += values.Data[i * row + k];
        }
        var data = (double[])table.Data.Clone();
        foreach (var entry in sums)
            for (long k = 0; k < row; k++) update(data, entry.Key * row + k, entry.Value[k]);
        for (int i = 0; i < data.Length; i++) data[i] = RefTensor.Round(table.DType, data[i]);
        return new RefTensor(table.DType, tableShape, data);
    }
}
