using System.Globalization;
using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Ops;

/// <summary>
/// Joins its inputs along <c>axis</c> (normalised, non-negative); all other dims must agree.
/// Along a symbolic axis the result is representable only when every other input is empty there.
/// Gradient: input i gets the slice of dy at its offset along the axis.
/// </summary>
public sealed class Concat : OpDef
{
    public override string Name => "concat";
    public override OpClass Class => OpClass.Injective;
    public override bool HasGradient => true;

    public override (DType DType, Shape Shape) InferType(IReadOnlyList<Node> inputs, Attrs attrs)
    {
        if (inputs.Count == 0) throw new ShapeException($"{Name} needs at least one input");
        var first = inputs[0];
        int axis = attrs.GetInt("axis");
        if (axis < 0 || axis >= first.Shape.Rank) throw new ShapeException($"{Name}: axis {axis} is out of range for {first.Shape} (rank {first.Shape.Rank}); scalars cannot be joined");
        foreach (var x in inputs)
        {
            if (x.DType != first.DType)
                throw new ShapeException($"{Name}: inputs have different dtypes, {first.DType.ShortName()}{first.Shape} and {x.DType.ShortName()}{x.Shape}");
            if (x.Shape.Rank != first.Shape.Rank)
                throw new ShapeException($"{Name}: inputs have different ranks, {first.Shape} and {x.Shape}");
            for (int a = 0; a < x.Shape.Rank; a++)
                if (a != axis && x.Shape[a] != first.Shape[a])
                    throw new ShapeException($"{Name}: shapes {first.Shape} and {x.Shape} differ in dimension {a} ({first.Shape[a]} vs {x.Shape[a]}); only axis {axis} may differ");
        }
        var joined = ShapeRules.Sum(inputs.Select(x => x.Shape[axis]).ToList(), Name, axis);
        return (first.DType, new Shape(first.Shape.Select((d, a) => a == axis ? joined : d)));
    }

    public override IReadOnlyList<Node?> Gradient(GraphBuilder g, Node node, Node dy)
    {
        int axis = node.Attrs.GetInt("axis");
        var grads = new Node?[node.Inputs.Count];
        int offset = 0;
        for (int i = 0; i < node.Inputs.Count; i++)
        {
            var x = node.Inputs[i];
            var begin = new int[x.Shape.Rank];
            begin[axis] = offset;
            grads[i] = StridedSlice.Apply(g, dy, begin, Enumerable.Repeat(1, x.Shape.Rank).ToArray(), x.Shape);
            // A symbolic part is the only non-empty one (the shape rule), so the offset stays static.
            if (x.Shape[axis].IsStatic) offset += x.Shape[axis].Size;
        }
        return grads;
    }

    public override void EmitCpu(Emit.CpuKernelContext ctx)
    {
        var shape = ctx.Node.Shape;
        int axis = ctx.Node.Attrs.GetInt("axis");
        string outer = ctx.Count(new Shape(shape.Take(axis)));
        string inner = ctx.Count(new Shape(shape.Skip(axis + 1)));
        string offset = "0";
        for (int i = 0; i < ctx.Node.Inputs.Count; i++)
        {
            string part = ctx.Dim(ctx.Node.Inputs[i].Shape[axis]);
            ctx.Line($"GraphCompiler.Runtime.Execution.CpuOps.ConcatPart<{ctx.T}>({ctx.In(i)}, {outer}, ({part}) * ({inner}), ({ctx.Dim(shape[axis])}) * ({inner}), ({offset}) * ({inner}), {ctx.Write});");
            offset = offset == "0" ? part : $"{offset} + {part}";
        }
    }

    public override RefTensor Evaluate(IReadOnlyList<RefTensor> inputs, Attrs attrs, int[] outShape)
    {
        int axis = attrs.GetInt("axis");
        long outer = ShapeRules.Product(outShape, 0, axis), inner = ShapeRules.Product(outShape, axis + 1, outShape.Length);
        long width = outShape[axis] * inner;
        var result = new double[RefTensor.Count(outShape)];
        long offset = 0;
        foreach (var x in inputs)
        {
            long part = x.Shape[axis] * inner;
            for (long o = 0; o < outer; o++)
                Array.Copy(x.Data, o * part, result, o * width + offset, part);
            offset += part;
        }
        return new RefTensor(inputs[0].DType, outShape, result);
    }

    internal static string Int(int v) => v.ToString(CultureInfo.InvariantCulture);
}
