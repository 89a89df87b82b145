using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Ops;

/// <summary>
/// Σ over <c>axes</c> (sorted, non-negative; all axes when empty), keeping size-1 dims when
/// <c>keepdims</c>. Gradient: dy reshaped to the keepdims shape and broadcast back to x.
/// </summary>
public sealed class ReduceSum : OpDef
{
    public override string Name => "reduce_sum";
    public override OpClass Class => OpClass.Reduction;
    public override bool HasGradient => true;
    public override Kernels.ReductionFold? Fold => Kernels.ReductionFold.Sum;

    public override (DType DType, Shape Shape) InferType(IReadOnlyList<Node> inputs, Attrs attrs)
    {
        ExpectArity(inputs, 1, Name);
        var x = inputs[0].Shape;
        var axes = attrs.GetInts("axes");
        foreach (var a in axes)
            if (a < 0 || a >= x.Rank) throw new ShapeException($"{Name}: axis {a} is out of range for a tensor of shape {x} (rank {x.Rank})");
        return (inputs[0].DType, ReducedShape(x, axes, attrs.GetBool("keepdims")));
    }

    public static Shape ReducedShape(Shape x, int[] axes, bool keepdims)
    {
        var dims = new List<Dim>();
        for (int i = 0; i < x.Rank; i++)
        {
            if (Array.IndexOf(axes, i) < 0) dims.Add(x[i]);
            else if (keepdims) dims.Add(Dim.Of(1));
        }
        return new Shape(dims);
    }

    /// <summary>Normalises user axes (negative from the end, duplicates rejected, null means all).</summary>
    public static int[] NormalizeAxes(int[]? axes, int rank, string op)
    {
        if (axes is null) return Enumerable.Range(0, rank).ToArray();
        var result = new SortedSet<int>();
        foreach (var a in axes)
        {
            int n = a < 0 ? a + rank : a;
            if (n < 0 || n >= rank) throw new ShapeException($"{op}: axis {a} is out of range for rank {rank}");
            if (!result.Add(n)) throw new ShapeException($"{op}: axis {a} is repeated");
        }
        return result.ToArray();
    }

    public override IReadOnlyList<Node?> Gradient(GraphBuilder g, Node node, Node dy)
    {
        var x = node.Inputs[0];
        var kept = ReducedShape(x.Shape, node.Attrs.GetInts("axes"), keepdims: true);
        var dyKept = dy.Shape.Equals(kept) ? dy : g.Apply("reshape", new[] { dy }, Attrs.Of(("shape", kept)));
        return new[] { g.BroadcastLike(dyKept, x) };
    }

    public override void EmitCpu(Emit.CpuKernelContext ctx) =>
        ctx.Line($"GraphCompiler.Runtime.Execution.CpuOps.ReduceSum<{ctx.T}>({ctx.In(0)}, {ctx.ShapeSpan(ctx.Node.Inputs[0].Shape)}, {Emit.CpuKernelContext.Ints(ctx.Node.Attrs.GetInts("axes").Select(a => a.ToString(System.Globalization.CultureInfo.InvariantCulture)))}, {ctx.Write});");

    public override RefTensor Evaluate(IReadOnlyList<RefTensor> inputs, Attrs attrs, int[] outShape)
    {
        var x = inputs[0];
        var axes = attrs.GetInts("axes");
        var keptShape = x.Shape.Select((d, i) => Array.IndexOf(axes, i) >= 0 ? 1 : d).ToArray();
        var result = new double[RefTensor.Count(outShape)];
        var xStrides = RefTensor.Strides(x.Shape);
        var keptStrides = RefTensor.Strides(keptShape);
        for (long i = 0; i < x.Data.Length; i++)
        {
            long rem = i, target = 0;
            for (int ax = 0; ax < x.Rank; ax++)
            {
                long c = rem / xStrides[ax];
                rem %= xStrides[ax];
                if (keptShape[ax] != 1) target += c * keptStrides[ax];
            }
            result[target] += x.Data[i];
        }
        for (int i = 0; i < result.Length; i++) result[i] = RefTensor.Round(x.DType, result[i]);
        return new RefTensor(x.DType, outShape, result);
    }
}
