using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Ops;

/// <summary>
/// Constant padding: <c>paddings</c> holds (before, after) counts per axis, flat
/// (<c>[b0, a0, b1, a1, …]</c>, non-negative), and new elements hold <c>value</c>. A symbolic
/// dim can be padded only by zero. Gradient: the window of dy where x was placed.
/// </summary>
public sealed class Pad : OpDef
{
    public override string Name => "pad";
    public override OpClass Class => OpClass.Injective;
    public override bool HasGradient => true;

    public override (DType DType, Shape Shape) InferType(IReadOnlyList<Node> inputs, Attrs attrs)
    {
        ExpectArity(inputs, 1, Name);
        var x = inputs[0].Shape;
        var p = attrs.GetInts("paddings");
        if (p.Length != 2 * x.Rank)
            throw new ShapeException($"{Name}: a tensor of shape {x} needs {x.Rank} (before, after) pairs, got {p.Length / 2.0} pairs");
        if (p.Any(v => v < 0)) throw new ShapeException($"{Name}: paddings [{string.Join(", ", p)}] must be non-negative");
        var dims = new Dim[x.Rank];
        for (int a = 0; a < x.Rank; a++)
        {
            if (x[a].IsStatic) dims[a] = Dim.Of(x[a].Size + p[2 * a] + p[2 * a + 1]);
            else if (p[2 * a] == 0 && p[2 * a + 1] == 0) dims[a] = x[a];
            else throw ShapeRules.Unrepresentable($"{Name}: axis {a} of {x} is symbolic ({x[a]}), so padding it by ({p[2 * a]}, {p[2 * a + 1]}) gives {x[a]} + {p[2 * a] + p[2 * a + 1]}, which is not a single dimension; pad only static axes");
        }
        return (inputs[0].DType, new Shape(dims));
    }

    public static int[] Before(Attrs attrs) => attrs.GetInts("paddings").Where((_, i) => i % 2 == 0).ToArray();

    public override IReadOnlyList<Node?> Gradient(GraphBuilder g, Node node, Node dy) =>
        new[] { StridedSlice.Apply(g, dy, Before(node.Attrs), Enumerable.Repeat(1, dy.Shape.Rank).ToArray(), node.Inputs[0].Shape) };

    public override void EmitCpu(Emit.CpuKernelContext ctx) =>
        ctx.Line($"GraphCompiler.Runtime.Execution.CpuOps.StridedPlace<{ctx.T}>({ctx.In(0)}, {ctx.ShapeSpan(ctx.Node.Inputs[0].Shape)}, {StridedSlice.Ints(Before(ctx.Node.Attrs))}, {StridedSlice.Ints(Enumerable.Repeat(1, ctx.Node.Shape.Rank).ToArray())}, {Emit.CSharpNames.Literal(ctx.Node.Attrs.GetDouble("value"), ctx.Node.DType)}, {ctx.Write}, {ctx.ShapeSpan(ctx.Node.Shape)});");

    public override RefTensor Evaluate(IReadOnlyList<RefTensor> inputs, Attrs attrs, int[] outShape)
    {
        var x = inputs[0];
        var offsets = ShapeRules.WindowOffsets(outShape, Before(attrs), Enumerable.Repeat(1, x.Rank).ToArray(), x.Shape, Name);
        var result = new double[RefTensor.Count(outShape)];
        double fill = RefTensor.Round(x.DType, attrs.GetDouble("value"));
        for (long i = 0; i < result.Length; i++) result[i] = fill;
        for (long i = 0; i < offsets.Length; i++) result[offsets[i]] = x.Data[i];
        return new RefTensor(x.DType, outShape, result);
    }
}
