using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Ops;

/// <summary>
/// Gradient descent on the rows a sparse gradient touches. Inputs: the variable, the scalar learning
/// rate, then the parts of a <c>sparse_rows</c> gradient, each either <c>(values, ids)</c> —
/// <c>var[ids[i]] −= lr · values[i]</c> — or, where the values are a <see cref="RowOuter"/>,
/// <c>(coef, vec, ids)</c> — <c>var[ids[b, k…]] −= lr · coef[b, k…] · vec[b]</c>, scattered without
/// writing the outer product. The int attr list <c>outer_parts</c> says which form each part has
/// (absent: all pairs). An effect like assign (its result is the variable's new value); a primitive
/// so that an embedding step costs the rows it used, never [vocab, dim].
/// </summary>
public sealed class SparseGradientDescent : OpDef
{
    public override string Name => "sparse_gradient_descent";
    public override OpClass Class => OpClass.Effect;

    /// <summary>One part of the update: a values part (Vec null) or an outer part.</summary>
    public readonly record struct Part(int Values, int? Vec, int Ids);

    /// <summary>The parts of a node with <paramref name="inputCount"/> inputs, by input index, read through the <c>outer_parts</c> attr.</summary>
    public static IReadOnlyList<Part> Parts(int inputCount, Attrs attrs)
    {
        var outer = attrs.Has("outer_parts") ? attrs.GetInts("outer_parts") : null;
        var parts = new List<Part>();
        int at = 2;
        for (int p = 0; at < inputCount; p++)
        {
            bool isOuter = outer is not null && p < outer.Length && outer[p] != 0;
            int width = isOuter ? 3 : 2;
            if (at + width > inputCount)
                throw new ShapeException($"sparse_gradient_descent: part {p} needs {width} inputs but only {inputCount - at} remain");
            parts.Add(isOuter ? new Part(at, at + 1, at + 2) : new Part(at, null, at + 1));
            at += width;
        }
        return parts;
    }

    /// <summary>Builds the update of <paramref name="variable"/> from the (values, ids) parts of its sparse gradient.</summary>
    public static Node Apply(GraphBuilder g, Node variable, Node learningRate, IEnumerable<(Node Values, Node Ids)> parts, string name)
    {
        var operands = new List<Node> { variable, learningRate };
        var outer = new List<int>();
        foreach (var (values, ids) in parts)
        {
            bool isOuter = values.Op is RowOuter;
            operands.AddRange(isOuter ? new[] { values.Inputs[0], values.Inputs[1], ids } : new[] { values, ids });
            outer.Add(isOuter ? 1 : 0);
        }
        return g.Apply("sparse_gradient_descent", operands, Attrs.Of(("outer_parts", outer.ToArray())), name: name);
    }

    public override (DType DType, Shape Shape) InferType(IReadOnlyList<Node> inputs, Attrs attrs)
    {
        if (inputs.Count < 4)
            throw new ShapeException($"{Name} takes a variable, a learning rate and sparse-gradient parts, got {inputs.Count} inputs");
        if (inputs[0].Op is not VariableRead) throw new ShapeException($"{Name}: the target must be a variable, got {inputs[0].OpName}");
        Parts(inputs.Count, attrs);
        return (inputs[0].DType, inputs[0].Shape);
    }

    public override RefTensor Evaluate(IReadOnlyList<RefTensor> inputs, Attrs attrs, int[] outShape)
    {
        var table = inputs[0];
        double lr = inputs[1].Data[0];
        long row = outShape.Skip(1).Aggregate(1L, (p, d) => p * d);
        var data = (double[])table.Data.Clone();
        foreach (var part in Parts(inputs.Count, attrs))
        {
            var ids = inputs[part.Ids];
            var values = inputs[part.Values];
            long batchRows = part.Vec is { } v && row > 0 ? inputs[v].Data.Length / row : 0;
            long perRow = batchRows > 0 ? ids.Data.Length / batchRows : 1;
            for (long i = 0; i < ids.Data.Length; i++)
                for (long k = 0; k < row; k++)
                {
                    double value = part.Vec is { } vec ? values.Data[i] * inputs[vec].Data[i / perRow * row + k] : values.Data[i * row + k];
                    data[(long)ids.Data[i] * row + k] -= lr * value;
                }
        }
        for (int i = 0; i < data.Length; i++) data[i] = RefTensor.Round(table.DType, data[i]);
        return new RefTensor(table.DType, outShape, data);
    }

    public override void EmitCpu(Emit.CpuKernelContext ctx)
    {
        string rowLength = ctx.Count(new Shape(ctx.Node.Shape.Skip(1)));
        foreach (var part in Parts(ctx.Node.Inputs.Count, ctx.Node.Attrs))
        {
            string index = ctx.Node.Inputs[part.Ids].DType.CSharpName();
            ctx.Line(part.Vec is { } vec
                ? $"GraphCompiler.Runtime.Execution.CpuOps.ScatterScaledOuterRows<{ctx.T}, {index}>({ctx.In(part.Values)}, {ctx.In(vec)}, {rowLength}, {ctx.In(part.Ids)}, {ctx.Write}, -{ctx.In(1)}[0]);"
                : $"GraphCompiler.Runtime.Execution.CpuOps.ScatterScaledRows<{ctx.T}, {index}>({ctx.In(part.Values)}, {rowLength}, {ctx.In(part.Ids)}, {ctx.Write}, -{ctx.In(1)}[0]);");
        }
    }
}
