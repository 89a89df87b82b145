namespace GraphCompiler.Runtime.Kernels;

/// <summary>
/// Row gather and scatter-add over a row-major table of <c>rows × rowLength</c> floats
/// (<c>tf.nn.embedding_lookup</c> and its sparse gradient).
/// </summary>
public static class Gather
{
    // How many ids ahead the row kernels prefetch: far enough to cover a miss to L3, near enough
    // that the lines are still in L1 when their turn comes.
    private const int Lookahead = 4;

    /// <summary>output[i, :] = table[ids[i], :]. Gradient: <see cref="ScatterAddRows"/> of dy into a zero table.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An id is negative or not below the table's row count; the
    /// message names the id and its position.</exception>
    public static void Rows(ReadOnlySpan<float> table, int rowLength, ReadOnlySpan<int> ids, Span<float> output)
    {
        int rows = TableRows(table.Length, rowLength, nameof(table));
        long need = (long)ids.Length * rowLength;
        if (output.Length != need)
            throw new ArgumentException($"Gather output has {output.Length} elements but {ids.Length} ids x {rowLength} need {need}.", nameof(output));
        for (int i = 0; i < ids.Length; i++)
        {
            int id = CheckId(ids, i, rows);
            table.Slice(id * rowLength, rowLength).CopyTo(output.Slice(i * rowLength, rowLength));
        }
    }

    /// <summary>
    /// table[ids[i], :] += scale · rows[i, :] for each i, in order; repeated ids accumulate. This is the sparse
    /// SGD step for embeddings (<c>scale = -learningRate</c>). Ids are all checked before anything is written,
    /// so a bad id leaves the table untouched.
    /// </summary>
    public static void ScatterAddRows(ReadOnlySpan<float> rows, int rowLength, ReadOnlySpan<int> ids, Span<float> table, float scale)
    {
        int tableRows = TableRows(table.Length, rowLength, nameof(table));
        long need = (long)ids.Length * rowLength;
        if (rows.Length != need)
            throw new ArgumentException($"ScatterAddRows has {rows.Length} update values but {ids.Length} ids x {rowLength} need {need}.", nameof(rows));
        if (((ReadOnlySpan<float>)table).Overlaps(rows))
            throw new ArgumentException("ScatterAddRows: the updates overlap the table.", nameof(rows));
        for (int i = 0; i < ids.Length; i++) CheckId(ids, i, tableRows);
        for (int i = 0; i < ids.Length; i++)
        {
            PrefetchAhead(table, rowLength, ids, i, 1);
            RowVectors.AddScaled(rows.Slice(i * rowLength, rowLength), scale, table.Slice(ids[i] * rowLength, rowLength));
        }
    }

    /// <summary>
    /// output[i] = table[ids[i], :] · x[i / k, :] with k = ids.Length / batch (x is [batch, rowLength]):
    /// the dot products of gathered rows without writing the gathered block.
    /// </summary>
    public static void RowDots(ReadOnlySpan<float> table, int rowLength, ReadOnlySpan<int> ids, ReadOnlySpan<float> x, Span<float> output)
    {
        int rows = TableRows(table.Length, rowLength, nameof(table)), perRow = IdsPerBatchRow(ids.Length, x.Length, rowLength, nameof(x));
        if (output.Length != ids.Length)
            throw new ArgumentException($"RowDots output has {output.Length} elements but there are {ids.Length} ids.", nameof(output));
        for (int i = 0; i < ids.Length; i++) CheckId(ids, i, rows);
        // Batch row by batch row (no index division), four table rows at a time against the same x
        // row: four independent FMA chains hide the latency a single dot product waits on.
        for (int b = 0, i = 0; i < ids.Length; b++)
        {
            var xs = x.Slice(b * rowLength, rowLength);
            int end = i + perRow;
            for (; i + 4 <= end; i += 4)
            {
                PrefetchAhead(table, rowLength, ids, i, 4);
                RowVectors.Dot4(table.Slice(ids[i] * rowLength, rowLength), table.Slice(ids[i + 1] * rowLength, rowLength),
                    table.Slice(ids[i + 2] * rowLength, rowLength), table.Slice(ids[i + 3] * rowLength, rowLength), xs, output.Slice(i, 4));
            }
            for (; i < end; i++)
            {
                PrefetchAhead(table, rowLength, ids, i, 1);
                output[i] = RowVectors.Dot(table.Slice(ids[i] * rowLength, rowLength), xs);
            }
        }
    }

    /// <summary>
    /// output[b, :] = Σⱼ weights[b·k + j] · table[ids[b·k + j], :] with k = ids.Length / batch (output is
    /// [batch, rowLength]): weighted sums of gathered rows without writing the gathered block.
    /// </summary>
    public static void WeightedRowSums(ReadOnlySpan<float> table, int rowLength, ReadOnlySpan<int> ids, ReadOnlySpan<float> weights, Span<float> output) =>
        WeightedRowSums(table, rowLength, ids, weights, default, output);

    /// <summary>
    /// <see cref="WeightedRowSums(ReadOnlySpan{float}, int, ReadOnlySpan{int}, ReadOnlySpan{float}, Span{float})"/>
    /// added to <paramref name="addend"/> (output's shape; empty for none): each output row starts as its
    /// addend row while it is in L1, instead of a separate pass adding two [batch, rowLength] arrays.
    /// </summary>
    public static void WeightedRowSums(ReadOnlySpan<float> table, int rowLength, ReadOnlySpan<int> ids, ReadOnlySpan<float> weights, ReadOnlySpan<float> addend, Span<float> output)
    {
        int rows = TableRows(table.Length, rowLength, nameof(table)), perRow = IdsPerBatchRow(ids.Length, output.Length, rowLength, nameof(output));
        if (weights.Length != ids.Length)
            throw new ArgumentException($"WeightedRowSums has {weights.Length} weights but {ids.Length} ids.", nameof(weights));
        if (!addend.IsEmpty && addend.Length != output.Length)
            throw new ArgumentException($"WeightedRowSums has an addend of {addend.Length} values for an output of {output.Length}.", nameof(addend));
        for (int i = 0; i < ids.Length; i++) CheckId(ids, i, rows);
        if (addend.IsEmpty) output.Clear();
        else if (perRow == 0) addend.CopyTo(output);
        for (int b = 0, i = 0; i < ids.Length; b++)
        {
            var dst = output.Slice(b * rowLength, rowLength);
            if (!addend.IsEmpty) addend.Slice(b * rowLength, rowLength).CopyTo(dst);
            for (int end = i + perRow; i < end; i++)
            {
                PrefetchAhead(table, rowLength, ids, i, 1);
                RowVectors.AddScaled(table.Slice(ids[i] * rowLength, rowLength), weights[i], dst);
            }
        }
    }

    /// <summary>
    /// table[ids[i], :] += scale · coef[i] · vec[i / k, :] with k = ids.Length / batch (vec is [batch,
    /// rowLength]): the sparse SGD step of a gathered dot product's table gradient, an outer product
    /// that is never written out. Ids are all checked before anything is written.
    /// </summary>
    public static void ScatterAddOuterRows(ReadOnlySpan<float> coef, ReadOnlySpan<float> vec, int rowLength, ReadOnlySpan<int> ids, Span<float> table, float scale)
    {
        int rows = TableRows(table.Length, rowLength, nameof(table)), perRow = IdsPerBatchRow(ids.Length, vec.Length, rowLength, nameof(vec));
        if (coef.Length != ids.Length)
            throw new ArgumentException($"ScatterAddOuterRows has {coef.Length} coefficients but {ids.Length} ids.", nameof(coef));
        if (((ReadOnlySpan<float>)table).Overlaps(vec))
            throw new ArgumentException("ScatterAddOuterRows: the vectors overlap the table.", nameof(vec));
        for (int i = 0; i < ids.Length; i++) CheckId(ids, i, rows);
        for (int b = 0, i = 0; i < ids.Length; b++)
        {
            var src = vec.Slice(b * rowLength, rowLength);
            for (int end = i + perRow; i < end; i++)
            {
                PrefetchAhead(table, rowLength, ids, i, 1);
                RowVectors.AddScaled(src, scale * coef[i], table.Slice(ids[i] * rowLength, rowLength));
            }
        }
    }

    // Asks for the rows the loop reaches Lookahead ids from position i (count of them), within the ids.
    private static void PrefetchAhead(ReadOnlySpan<float> table, int rowLength, ReadOnlySpan<int> ids, int i, int count)
    {
        for (int q = i + Lookahead; q < Math.Min(i + Lookahead + count, ids.Length); q++)
            RowVectors.Prefetch(table.Slice(ids[q] * rowLength, rowLength));
    }

    // The ids are [batch, k…]: k ids per row of the [batch, rowLength] operand.
    private static int IdsPerBatchRow(int ids, int operandLength, int rowLength, string name)
    {
        if (operandLength % rowLength != 0)
            throw new ArgumentException($"The {name} has {operandLength} elements, not a whole number of rows of {rowLength}.", name);
        int batch = operandLength / rowLength;
        if (batch == 0 ? ids != 0 : ids % batch != 0)
            throw new ArgumentException($"{ids} ids do not split evenly over the {batch} rows of {name}.", name);
        return batch == 0 ? 1 : ids / batch;
    }

    private static int TableRows(int length, int rowLength, string name)
    {
        if (rowLength <= 0)
            throw new ArgumentOutOfRangeException(nameof(rowLength), rowLength, "Row length must be positive.");
        if (length % rowLength != 0)
            throw new ArgumentException($"The {name} has {length} elements, not a whole number of rows of {rowLength}.", name);
        return length / rowLength;
    }

    private static int CheckId(ReadOnlySpan<int> ids, int position, int rows)
    {
        int id = ids[position];
        if ((uint)id >= (uint)rows)
            throw new ArgumentOutOfRangeException(nameof(ids), id,
                $"ids[{position}] = {id} is outside the table's {rows} rows (valid ids are 0..{rows - 1}).");
        return id;
    }
}
