using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Ops.Composites;

/// <summary>
/// The math family's composite ops: builder methods made of primitives, so each gets its gradient
/// from the primitives' rules. This file holds the shared helpers; activations, reductions, losses
/// and gradient utilities have their own files.
/// </summary>
public static partial class MathComposites
{
    /// <summary>Applies a unary or binary primitive by name.</summary>
    internal static Node Op(GraphBuilder g, string op, params Node[] inputs) => g.Apply(op, inputs);

    /// <summary>A scalar constant of <paramref name="like"/>'s dtype.</summary>
    internal static Node Scalar(GraphBuilder g, double v, Node like) => g.Scalar(v, like.DType);

    /// <summary>A fold (<c>reduce_sum</c>, <c>reduce_max</c>, …) over normalised <paramref name="axes"/>.</summary>
    public static Node Reduce(GraphBuilder g, string op, Node x, int[] axes, bool keepDims) =>
        g.Apply(op, new[] { x }, Attrs.Of(("axes", axes), ("keepdims", keepDims)));

    /// <summary>
    /// The number of elements over <paramref name="axes"/> as a scalar of x's dtype: a constant when
    /// those dims are static, an <c>element_count</c> node when one is symbolic.
    /// </summary>
    public static Node Count(GraphBuilder g, Node x, int[] axes)
    {
        var reduced = axes.Select(a => x.Shape[a]).ToList();
        return reduced.All(d => d.IsStatic)
            ? g.Constant(reduced.Aggregate(1.0, (p, d) => p * d.Size), x.DType)
            : g.Apply("element_count", new[] { x }, Attrs.Of(("axes", axes), ("dtype", x.DType)));
    }

    /// <summary>Σx / N over <paramref name="axes"/> (as <c>ReduceMean</c>).</summary>
    public static Node Mean(GraphBuilder g, Node x, int[] axes, bool keepDims) =>
        g.Div(Reduce(g, "reduce_sum", x, axes, keepDims), Count(g, x, axes));

    /// <summary>Reshapes a keepdims reduction result to the shape without the reduced axes.</summary>
    internal static Node DropAxes(GraphBuilder g, Node kept, Node x, int[] axes)
    {
        var shape = ReduceSum.ReducedShape(x.Shape, axes, keepdims: false);
        return kept.Shape.Equals(shape) ? kept : g.Apply("reshape", new[] { kept }, Attrs.Of(("shape", shape)));
    }

    /// <summary>A single axis normalised against <paramref name="rank"/> (negative counts from the end).</summary>
    public static int Axis(int axis, int rank, string op)
    {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) throw new ShapeException($"{op}: axis {axis} is out of range for rank {rank}");
        return a;
    }

    /// <summary>Requires a float tensor (the op is defined on reals only).</summary>
    internal static void RequireFloat(Node x, string op) => MathOpSupport.RequireFloat(new[] { x }, op);

    /// <summary>
    /// A scalar constant node of <paramref name="dtype"/> rebuilt from <paramref name="x"/> when x is a
    /// rank-0 splat constant of another dtype (a float literal passed where a tensor is expected);
    /// otherwise x unchanged.
    /// </summary>
    public static Node Retype(GraphBuilder g, Node x, DType dtype) =>
        x.DType != dtype && x.Op is Ops.Constant && x.Shape.Rank == 0 && dtype != DType.Bool ? g.Constant(Ops.Constant.SplatValue(x)!.Value, dtype) : x;
}
