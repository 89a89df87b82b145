using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Ops;

/// <summary>
/// What <see cref="GatherDot"/> and <see cref="GatherWeightedSum"/> share: the rows of a table
/// [rows, dim] picked by ids [batch…, k…] and paired with the batch row of a [batch…, dim] operand.
/// The batch is one axis or several (word2vec's [groups, pairs]); each batch row owns the ids below
/// it. They are each other's adjoints, and both reach the table as sparse rows of an outer product.
/// </summary>
internal static class GatheredRows
{
    /// <summary>Checks the table and ids; returns the row width (the table's second dim).</summary>
    public static Dim CheckTableAndIds(string op, Node table, Node ids)
    {
        if (table.Shape.Rank != 2 || !table.DType.IsFloat())
            throw new ShapeException($"{op}: the table must be a float [rows, dim] matrix, got {table.DType.ShortName()}{table.Shape}");
        if (!ids.DType.IsInteger() || ids.Shape.Rank < 1)
            throw new ShapeException($"{op}: ids must be int32/int64 [batch, …], got {ids.DType.ShortName()}{ids.Shape}");
        return table.Shape[1];
    }

    /// <summary>
    /// Checks that <paramref name="batch"/> (the batch axes of the row operand) leads the ids' shape:
    /// each batch row owns the ids below it.
    /// </summary>
    public static void CheckBatchPrefix(string op, string operand, Node ids, IReadOnlyList<Dim> batch, string got)
    {
        bool leads = batch.Count >= 1 && batch.Count <= ids.Shape.Rank && batch.Select((d, i) => d.Equals(ids.Shape[i])).All(same => same);
        if (!leads)
            throw new ShapeException($"{op}: {operand} must be [{string.Join(", ", ids.Shape.Take(Math.Max(1, batch.Count)))}, dim] (the ids' leading batch axes, then the table's width), got {got}");
    }

    /// <summary>How many batch rows a flat reference operand of row width <paramref name="dim"/> holds.</summary>
    public static long BatchRows(RefTensor operand, int dim) => dim == 0 ? 0 : operand.Data.Length / dim;

    /// <summary>
    /// The sparse-rows gradient of the table: row ids[b, k…] gets coef[b, k…] · vector[b, :], a
    /// <see cref="RowOuter"/> that gradient descent scatters without materialising.
    /// </summary>
    public static Node TableGradient(GraphBuilder g, Node table, Node ids, Node coef, Node vector) =>
        SparseRows.Apply(g, new[] { (g.Apply("row_outer", new[] { coef, vector }), ids) }, table);

    /// <summary>Reads and bounds-checks ids[i] of the reference tensor.</summary>
    public static long Row(RefTensor ids, long i, int rows, string op)
    {
        long id = ShapeRules.Index(ids, i, op);
        if (id < 0 || id >= rows) throw new InvalidOperationException($"{op}: ids[{i}] = {id} is outside the table's {rows} rows");
        return id;
    }
}
