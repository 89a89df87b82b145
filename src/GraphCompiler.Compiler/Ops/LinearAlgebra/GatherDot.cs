using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Ops;

/// <summary>
/// Dot products of gathered table rows with the batch rows of x, in one pass:
/// <c>out[b, k…] = table[ids[b, k…], :] · x[b, :]</c> — a gather followed by a row-wise dot, as the
/// logits of word2vec's negative sampling and of NCE's true classes. Fusing the pair means the
/// gathered [batch, k…, dim] block is never written. Shapes: table [rows, dim], ids int [batch…, k…],
/// x [batch…, dim] (one batch axis or several, leading the ids' shape); the result has the ids' shape. Gradient: to x, <see cref="GatherWeightedSum"/>
/// of dy; to the table, sparse rows dy[b, k…] · x[b, :] at the ids; none to the ids.
/// </summary>
public sealed class GatherDot : OpDef
{
    public override string Name => "gather_dot";
    public override OpClass Class => OpClass.Opaque;
    public override bool HasGradient => true;

    public override (DType DType, Shape Shape) InferType(IReadOnlyList<Node> inputs, Attrs attrs)
    {
        ExpectArity(inputs, 3, Name);
        Node table = inputs[0], ids = inputs[1], x = inputs[2];
        var dim = GatheredRows.CheckTableAndIds(Name, table, ids);
        if (x.DType != table.DType || x.Shape.Rank < 2 || !x.Shape[x.Shape.Rank - 1].Equals(dim))
            throw new ShapeException($"{Name}: x must be {table.DType.ShortName()}[{ids.Shape[0]}, {dim}] (the ids' batch, the table's width), got {x.DType.ShortName()}{x.Shape}");
        GatheredRows.CheckBatchPrefix(Name, "x", ids, x.Shape.Take(x.Shape.Rank - 1).ToList(), $"{x.DType.ShortName()}{x.Shape}");
        return (table.DType, ids.Shape);
    }

    public override IReadOnlyList<Node?> Gradient(GraphBuilder g, Node node, Node dy)
    {
        Node table = node.Inputs[0], ids = node.Inputs[1], x = node.Inputs[2];
        return new[] { GatheredRows.TableGradient(g, table, ids, dy, x), null, GatherWeightedSum.Apply(g, table, ids, dy, x.Shape.Rank - 1) };
    }

    public override void EmitCpu(Emit.CpuKernelContext ctx) =>
        ctx.Line($"GraphCompiler.Runtime.Execution.CpuOps.GatherDot<{ctx.T}, {ctx.Node.Inputs[1].DType.CSharpName()}>({ctx.In(0)}, {ctx.Dim(ctx.Node.Inputs[0].Shape[1])}, {ctx.In(1)}, {ctx.In(2)}, {ctx.Write});");

    public override RefTensor Evaluate(IReadOnlyList<RefTensor> inputs, Attrs attrs, int[] outShape)
    {
        RefTensor table = inputs[0], ids = inputs[1], x = inputs[2];
        int rows = table.Shape[0], dim = table.Shape[1];
        long batch = GatheredRows.BatchRows(x, dim);
        long perRow = batch == 0 ? 0 : ids.Data.Length / batch;
        var result = new double[ids.Data.Length];
        for (long i = 0; i < result.Length; i++)
        {
            long id = GatheredRows.Row(ids, i, rows, Name), b = i / perRow;
            double sum = 0;
            for (int c = 0; c < dim; c++) sum += table.Data[id * dim + c] * x.Data[b * dim + c];
            result[i] = RefTensor.Round(table.DType, sum);
        }
        return new RefTensor(table.DType, outShape, result);
    }
}
