using System.Globalization;
using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Ops;

/// <summary>
/// Base of argmax/argmin along one <c>axis</c>: the int64 index (TensorFlow's default output type)
/// of the first extreme element, NaN counting as the extreme (as NumPy); the axis is removed from the
/// shape and must not be empty. No gradient: an index is not differentiable.
/// </summary>
public abstract class ArgReduction : OpDef
{
    public override OpClass Class => OpClass.Reduction;

    /// <summary>True for argmax.</summary>
    protected abstract bool Largest { get; }

    public override (DType DType, Shape Shape) InferType(IReadOnlyList<Node> inputs, Attrs attrs)
    {
        ExpectArity(inputs, 1, Name);
        MathOpSupport.RequireNumeric(inputs, Name);
        var x = inputs[0].Shape;
        int axis = attrs.GetInt("axis");
        if (axis < 0 || axis >= x.Rank) throw new ShapeException($"{Name}: axis {axis} is out of range for a tensor of shape {x} (rank {x.Rank})");
        if (x[axis].IsStatic && x[axis].Size == 0) throw new ShapeException($"{Name}: axis {axis} of {x} is empty, so there is no extreme element");
        return (DType.Int64, ReduceSum.ReducedShape(x, new[] { axis }, keepdims: false));
    }

    public override RefTensor Evaluate(IReadOnlyList<RefTensor> inputs, Attrs attrs, int[] outShape)
    {
        var x = inputs[0];
        int axis = attrs.GetInt("axis");
        long outer = 1, inner = 1;
        for (int i = 0; i < axis; i++) outer *= x.Shape[i];
        for (int i = axis + 1; i < x.Rank; i++) inner *= x.Shape[i];
        int n = x.Shape[axis];
        var result = new double[outer * inner];
        for (long o = 0; o < outer; o++)
            for (long j = 0; j < inner; j++)
            {
                int best = 0;
                double bestValue = x.Data[o * n * inner + j];
                for (int a = 1; a < n && !double.IsNaN(bestValue); a++)
                {
                    double v = x.Data[(o * n + a) * inner + j];
                    if (double.IsNaN(v) || (Largest ? v > bestValue : v < bestValue))
                    {
                        best = a;
                        bestValue = v;
                    }
                }
                result[o * inner + j] = best;
            }
        return new RefTensor(DType.Int64, outShape, result);
    }

    public override void EmitCpu(Emit.CpuKernelContext ctx)
    {
        var x = ctx.Node.Inputs[0];
        var axis = ctx.Node.Attrs.GetInt("axis").ToString(CultureInfo.InvariantCulture);
        ctx.Line($"{MathOpSupport.CpuOps}.{(Largest ? "ArgMax" : "ArgMin")}<{x.DType.CSharpName()}>({ctx.In(0)}, {ctx.ShapeSpan(x.Shape)}, {axis}, {ctx.Write});");
    }
}
