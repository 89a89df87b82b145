using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Ops;

/// <summary>
/// Weighted sums of gathered table rows per batch row, in one pass:
/// <c>out[b, :] = Σ_k… w[b, k…] · table[ids[b, k…], :]</c> — the input gradient of
/// <see cref="GatherDot"/> (and a bag-of-words lookup in its own right) without writing the gathered
/// [batch, k…, dim] block. Shapes: table [rows, dim], ids int [batch…, k…], w float of the ids' shape;
/// the result is [batch…, dim], where the batch is the ids' first <c>batch_dims</c> axes (default 1).
/// Gradient: to w, <see cref="GatherDot"/> of dy; to the table, sparse rows w[b, k…] · dy[b, :] at the
/// ids; none to the ids. An optional fourth input of the result's shape is added to it in the same
/// pass (<see cref="Passes.Simplify.AccumulateIntoGatheredSumsPass"/> folds an <c>add</c> into it:
/// the input gradient of word2vec's positive and noise logits is one pass, not a sum of two arrays).
/// </summary>
public sealed class GatherWeightedSum : OpDef
{
    public override string Name => "gather_weighted_sum";
    public override OpClass Class => OpClass.Opaque;
    public override bool HasGradient => true;

    public override (DType DType, Shape Shape) InferType(IReadOnlyList<Node> inputs, Attrs attrs)
    {
        if (inputs.Count is not (3 or 4)) throw new ShapeException($"{Name} takes 3 inputs (table, ids, weights) and an optional addend, got {inputs.Count}");
        Node table = inputs[0], ids = inputs[1], w = inputs[2];
        var dim = GatheredRows.CheckTableAndIds(Name, table, ids);
        if (w.DType != table.DType || !w.Shape.Equals(ids.Shape))
            throw new ShapeException($"{Name}: weights must be {table.DType.ShortName()}{ids.Shape} (one per id), got {w.DType.ShortName()}{w.Shape}");
        int batchDims = attrs.Has("batch_dims") ? attrs.GetInt("batch_dims") : 1;
        if (batchDims < 1 || batchDims > ids.Shape.Rank)
            throw new ShapeException($"{Name}: batch_dims must be in [1, {ids.Shape.Rank}] (the ids' rank), got {batchDims}");
        var result = new Shape(ids.Shape.Take(batchDims).Concat(new[] { dim }));
        if (inputs.Count == 4 && (inputs[3].DType != table.DType || !inputs[3].Shape.Equals(result)))
            throw new ShapeException($"{Name}: the addend must be {table.DType.ShortName()}{result} (the result's shape), got {inputs[3].DType.ShortName()}{inputs[3].Shape}");
        return (table.DType, result);
    }

    /// <summary>Applies the op with the ids' first <paramref name="batchDims"/> axes as the batch.</summary>
    public static Node Apply(GraphBuilder g, Node table, Node ids, Node w, int batchDims) =>
        batchDims == 1
            ? g.Apply("gather_weighted_sum", new[] { table, ids, w })
            : g.Apply("gather_weighted_sum", new[] { table, ids, w }, Attrs.Of(("batch_dims", batchDims)));

    public override IReadOnlyList<Node?> Gradient(GraphBuilder g, Node node, Node dy)
    {
        Node table = node.Inputs[0], ids = node.Inputs[1], w = node.Inputs[2];
        var gradients = new[] { GatheredRows.TableGradient(g, table, ids, w, dy), null, g.Apply("gather_dot", new[] { table, ids, dy }) };
        return node.Inputs.Count == 4 ? gradients.Append(dy).ToArray() : gradients;
    }

    public override void EmitCpu(Emit.CpuKernelContext ctx)
    {
        string addend = ctx.Node.Inputs.Count == 4 ? ctx.In(3) + ", " : "";
        ctx.Line($"GraphCompiler.Runtime.Execution.CpuOps.GatherWeightedSum<{ctx.T}, {ctx.Node.Inputs[1].DType.CSharpName()}>({ctx.In(0)}, {ctx.Dim(ctx.Node.Inputs[0].Shape[1])}, {ctx.In(1)}, {ctx.In(2)}, {addend}{ctx.Write});");
    }

    public override RefTensor Evaluate(IReadOnlyList<RefTensor> inputs, Attrs attrs, int[] outShape)
    {
        RefTensor table = inputs[0], ids = inputs[1], w = inputs[2];
        int rows = table.Shape[0], dim = table.Shape[1];
        long batch = outShape.Take(outShape.Length - 1).Aggregate(1L, (p, d) => p * d);
        long perRow = batch == 0 ? 0 : ids.Data.Length / batch;
        var result = inputs.Count == 4 ? (double[])inputs[3].Data.Clone() : new double[batch * dim];
        for (long i = 0; i < ids.Data.Length; i++)
        {
            long id = GatheredRows.Row(ids, i, rows, Name), b = i / perRow;
            for (int c = 0; c < dim; c++) result[b * dim + c] += w.Data[i] * table.Data[id * dim + c];
        }
        for (long i = 0; i < result.Length; i++) result[i] = RefTensor.Round(table.DType, result[i]);
        return new RefTensor(table.DType, outShape, result);
    }
}
