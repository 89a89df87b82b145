using System.Globalization;
using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Ops;

/// <summary>
/// Base of the reductions over <c>axes</c> (sorted, non-negative; all axes when empty) with
/// <c>keepdims</c>, like <see cref="ReduceSum"/>: a fold with an identity, evaluated in double and
/// emitted as a call to <c>CpuOps.&lt;RuntimeName&gt;</c>.
/// </summary>
public abstract class FoldReduction : OpDef
{
    public override OpClass Class => OpClass.Reduction;

    public override bool HasGradient => true;

    /// <summary>The fold's starting value (−∞ for max, 1 for product).</summary>
    protected abstract double Identity { get; }

    /// <summary>The name of the runtime method in <c>CpuOps</c>.</summary>
    protected abstract string RuntimeName { get; }

    protected abstract double Combine(double acc, double x);

    public override (DType DType, Shape Shape) InferType(IReadOnlyList<Node> inputs, Attrs attrs)
    {
        ExpectArity(inputs, 1, Name);
        MathOpSupport.RequireNumeric(inputs, Name);
        var x = inputs[0].Shape;
        var axes = attrs.GetInts("axes");
        foreach (var a in axes)
            if (a < 0 || a >= x.Rank) throw new ShapeException($"{Name}: axis {a} is out of range for a tensor of shape {x} (rank {x.Rank})");
        return (inputs[0].DType, ReduceSum.ReducedShape(x, axes, attrs.GetBool("keepdims")));
    }

    public override RefTensor Evaluate(IReadOnlyList<RefTensor> inputs, Attrs attrs, int[] outShape)
    {
        var x = inputs[0];
        var axes = attrs.GetInts("axes");
        var result = new double[RefTensor.Count(outShape)];
        for (int i = 0; i < result.Length; i++) result[i] = Identity;
        var target = KeptIndex(x.Shape, axes);
        for (long i = 0; i < x.Data.Length; i++) result[target(i)] = Combine(result[target(i)], x.Data[i]);
        for (int i = 0; i < result.Length; i++) result[i] = RefTensor.Round(x.DType, result[i]);
        return new RefTensor(x.DType, outShape, result);
    }

    public override void EmitCpu(Emit.CpuKernelContext ctx) =>
        ctx.Line($"{MathOpSupport.CpuOps}.{RuntimeName}<{ctx.T}>({ctx.In(0)}, {ctx.ShapeSpan(ctx.Node.Inputs[0].Shape)}, {Emit.CpuKernelContext.Ints(ctx.Node.Attrs.GetInts("axes").Select(a => a.ToString(CultureInfo.InvariantCulture)))}, {ctx.Write});");

    /// <summary>Maps a flat index of x to the flat index of its reduced (keepdims) position.</summary>
    internal static Func<long, long> KeptIndex(int[] shape, int[] axes)
    {
        var kept = shape.Select((d, i) => Array.IndexOf(axes, i) >= 0 ? 1 : d).ToArray();
        var xStrides = RefTensor.Strides(shape);
        var keptStrides = RefTensor.Strides(kept);
        return i =>
        {
            long rem = i, target = 0;
            for (int ax = 0; ax < shape.Length; ax++)
            {
                long c = rem / xStrides[ax];
                rem %= xStrides[ax];
                if (kept[ax] != 1) target += c * keptStrides[ax];
            }
            return target;
        };
    }

    /// <summary>dy reshaped to the keepdims shape of the reduction (a no-op when it already is).</summary>
    protected static Node KeepDims(GraphBuilder g, Node node, Node value)
    {
        var kept = ReduceSum.ReducedShape(node.Inputs[0].Shape, node.Attrs.GetInts("axes"), keepdims: true);
        return value.Shape.Equals(kept) ? value : g.Apply("reshape", new[] { value }, Attrs.Of(("shape", kept)));
    }
}
