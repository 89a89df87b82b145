using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Ops;

/// <summary>
/// Repeats x <c>multiples[a]</c> times along each axis a (<c>tf.tile</c>): y[i] = x[i mod shape(x)].
/// A symbolic dim can be tiled only once (or zero times). Gradient: dy reshaped to
/// [m0, d0, m1, d1, …] and summed over the repeat axes.
/// </summary>
public sealed class Tile : OpDef
{
    public override string Name => "tile";
    public override OpClass Class => OpClass.Injective;
    public override bool HasGradient => true;

    public override (DType DType, Shape Shape) InferType(IReadOnlyList<Node> inputs, Attrs attrs)
    {
        ExpectArity(inputs, 1, Name);
        var x = inputs[0].Shape;
        var m = attrs.GetInts("multiples");
        if (m.Length != x.Rank) throw new ShapeException($"{Name}: a tensor of shape {x} needs {x.Rank} multiples, got [{string.Join(", ", m)}]");
        if (m.Any(v => v < 0)) throw new ShapeException($"{Name}: multiples [{string.Join(", ", m)}] must be non-negative");
        var dims = new Dim[x.Rank];
        for (int a = 0; a < x.Rank; a++)
        {
            if (x[a].IsStatic) dims[a] = Dim.Of(checked(x[a].Size * m[a]));
            else if (m[a] <= 1) dims[a] = m[a] == 1 ? x[a] : Dim.Of(0);
            else throw ShapeRules.Unrepresentable($"{Name}: axis {a} of {x} is symbolic ({x[a]}), so tiling it {m[a]} times gives {m[a]}·{x[a]}, which is not a single dimension; tile only static axes");
        }
        return (inputs[0].DType, new Shape(dims));
    }

    public override IReadOnlyList<Node?> Gradient(GraphBuilder g, Node node, Node dy)
    {
        var x = node.Inputs[0];
        var m = node.Attrs.GetInts("multiples");
        var interleaved = new List<Dim>();
        for (int a = 0; a < m.Length; a++)
        {
            interleaved.Add(Dim.Of(m[a]));
            interleaved.Add(x.Shape[a]);
        }
        var split = g.Apply("reshape", new[] { dy }, Attrs.Of(("shape", new Shape(interleaved))));
        var axes = Enumerable.Range(0, m.Length).Select(a => 2 * a).ToArray();
        return new[] { g.Apply("reduce_sum", new[] { split }, Attrs.Of(("axes", axes), ("keepdims", false))) };
    }

    public override void EmitCpu(Emit.CpuKernelContext ctx) =>
        ctx.Line($"GraphCompiler.Runtime.Execution.CpuOps.Tile<{ctx.T}>({ctx.In(0)}, {ctx.ShapeSpan(ctx.Node.Inputs[0].Shape)}, {ctx.Write}, {ctx.ShapeSpan(ctx.Node.Shape)});");

    public override RefTensor Evaluate(IReadOnlyList<RefTensor> inputs, Attrs attrs, int[] outShape)
    {
        var x = inputs[0];
        var xStrides = RefTensor.Strides(x.Shape);
        var result = new double[RefTensor.Count(outShape)];
        for (long i = 0; i < result.Length; i++)
        {
            long rem = i, src = 0;
            for (int a = outShape.Length - 1; a >= 0; a--)
            {
                long c = rem % outShape[a];
                rem /= outShape[a];
                src += c % x.Shape[a] * xStrides[a];
            }
            result[i] = x.Data[src];
        }
        return new RefTensor(x.DType, outShape, result);
    }
}
