using GraphCompiler.Compiler.IR;
using ShapeComposites = GraphCompiler.Compiler.Ops.Composites.Shapes;

namespace GraphCompiler.Compiler.Ops;

/// <summary>
/// Per-batch-row outer products: <c>out[b, k…, :] = coef[b, k…] · vec[b, :]</c>. It is the table
/// gradient of <see cref="GatherDot"/> and <see cref="GatherWeightedSum"/> (the values of their
/// sparse rows); as an op of its own, gradient descent can scatter it into the table straight from
/// coef and vec (<see cref="SparseGradientDescent"/>), never writing the [batch, k…, dim] block.
/// Shapes: coef [batch…, k…], vec [batch…, dim] (one batch axis or several, leading coef's shape); the
/// result is coef's shape + [dim]. Gradient: to coef, the row-wise dot of dy with vec; to vec, the
/// coef-weighted sum of dy's rows.
/// </summary>
public sealed class RowOuter : OpDef
{
    public override string Name => "row_outer";
    public override OpClass Class => OpClass.Opaque;
    public override bool HasGradient => true;

    public override (DType DType, Shape Shape) InferType(IReadOnlyList<Node> inputs, Attrs attrs)
    {
        ExpectArity(inputs, 2, Name);
        Node coef = inputs[0], vec = inputs[1];
        if (!coef.DType.IsFloat() || coef.Shape.Rank < 1)
            throw new ShapeException($"{Name}: coef must be float [batch, …], got {coef.DType.ShortName()}{coef.Shape}");
        if (vec.DType != coef.DType || vec.Shape.Rank < 2)
            throw new ShapeException($"{Name}: vec must be {coef.DType.ShortName()}[{coef.Shape[0]}, dim] (coef's batch), got {vec.DType.ShortName()}{vec.Shape}");
        GatheredRows.CheckBatchPrefix(Name, "vec", coef, vec.Shape.Take(vec.Shape.Rank - 1).ToList(), $"{vec.DType.ShortName()}{vec.Shape}");
        return (coef.DType, new Shape(coef.Shape.Concat(new[] { vec.Shape[vec.Shape.Rank - 1] })));
    }

    public override IReadOnlyList<Node?> Gradient(GraphBuilder g, Node node, Node dy)
    {
        Node coef = node.Inputs[0], vec = node.Inputs[1];
        int rank = coef.Shape.Rank, batchRank = vec.Shape.Rank - 1;
        var rowVector = vec;
        for (int a = batchRank; a < rank; a++) rowVector = ShapeComposites.ExpandDims(g, rowVector, batchRank);
        var dCoef = g.Apply("reduce_sum", new[] { g.Mul(dy, rowVector) }, Attrs.Of(("axes", new[] { rank }), ("keepdims", false)));
        var dVec = g.Mul(dy, ShapeComposites.ExpandDims(g, coef, rank));
        if (rank > batchRank) dVec = g.Apply("reduce_sum", new[] { dVec }, Attrs.Of(("axes", Enumerable.Range(batchRank, rank - batchRank).ToArray()), ("keepdims", false)));
        return new[] { dCoef, dVec };
    }

    public override void EmitCpu(Emit.CpuKernelContext ctx) =>
        ctx.Line($"GraphCompiler.Runtime.Execution.CpuOps.RowOuter<{ctx.T}>({ctx.In(0)}, {ctx.In(1)}, {ctx.Dim(ctx.Node.Inputs[1].Shape[ctx.Node.Inputs[1].Shape.Rank - 1])}, {ctx.Write});");

    public override RefTensor Evaluate(IReadOnlyList<RefTensor> inputs, Attrs attrs, int[] outShape)
    {
        RefTensor coef = inputs[0], vec = inputs[1];
        int dim = vec.Shape[vec.Rank - 1];
        long batch = GatheredRows.BatchRows(vec, dim);
        long perRow = batch == 0 ? 0 : coef.Data.Length / batch;
        var result = new double[coef.Data.Length * dim];
        for (long i = 0; i < coef.Data.Length; i++)
            for (int c = 0; c < dim; c++)
                result[i * dim + c] = RefTensor.Round(coef.DType, coef.Data[i] * vec.Data[i / perRow * dim + c]);
        return new RefTensor(coef.DType, outShape, result);
    }
}
