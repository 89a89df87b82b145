using System.Numerics.Tensors;

namespace GraphCompiler.Runtime.Linalg;

/// <summary>
/// A sparse float matrix in compressed sparse row (CSR) form: the nonzeros of row i are
/// <c>Values[RowStarts[i] .. RowStarts[i + 1]]</c> at columns <c>Columns[…]</c>, in ascending column
/// order with no column repeated. Immutable by convention: the arrays are exposed for kernels and
/// tests, not for editing.
/// </summary>
public sealed class SparseMatrix
{
    /// <exception cref="ArgumentException">The arrays do not describe a CSR matrix of the given size.</exception>
    public SparseMatrix(int rows, int columns, long[] rowStarts, int[] columnIndices, float[] values)
    {
        ArgumentNullException.ThrowIfNull(rowStarts);
        ArgumentNullException.ThrowIfNull(columnIndices);
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        if (rowStarts.Length != rows + 1 || rowStarts[0] != 0 || rowStarts[rows] != values.Length || columnIndices.Length != values.Length)
            throw new ArgumentException($"CSR arrays do not fit a {rows}×{columns} matrix: {rowStarts.Length} row starts (last {rowStarts[^1]}), {columnIndices.Length} columns, {values.Length} values");
        Rows = rows;
        ColumnCount = columns;
        RowStarts = rowStarts;
        Columns = columnIndices;
        Values = values;
    }

    /// <summary>Number of rows.</summary>
    public int Rows { get; }

    /// <summary>Number of columns.</summary>
    public int ColumnCount { get; }

    /// <summary>Where each row's entries start, with the total as the last element (Rows + 1 values).</summary>
    public long[] RowStarts { get; }

    /// <summary>Column of each stored entry.</summary>
    public int[] Columns { get; }

    /// <summary>Value of each stored entry.</summary>
    public float[] Values { get; }

    /// <summary>Number of stored entries.</summary>
    public long NonZeros => Values.LongLength;

    /// <summary>Bytes held by the three arrays.</summary>
    public long MemoryBytes => RowStarts.LongLength * sizeof(long) + Columns.LongLength * sizeof(int) + Values.LongLength * sizeof(float);

    /// <summary>The column indices of row <paramref name="row"/>.</summary>
    public ReadOnlySpan<int> RowColumns(int row) => Columns.AsSpan((int)RowStarts[row], (int)(RowStarts[row + 1] - RowStarts[row]));

    /// <summary>The values of row <paramref name="row"/>.</summary>
    public ReadOnlySpan<float> RowValues(int row) => Values.AsSpan((int)RowStarts[row], (int)(RowStarts[row + 1] - RowStarts[row]));

    /// <summary>The entry at (<paramref name="row"/>, <paramref name="column"/>), 0 when not stored.</summary>
    public float this[int row, int column]
    {
        get
        {
            int at = RowColumns(row).BinarySearch(column);
            return at >= 0 ? RowValues(row)[at] : 0f;
        }
    }

    /// <summary>The sum of each row.</summary>
    public double[] RowSums()
    {
        var sums = new double[Rows];
        for (int i = 0; i < Rows; i++)
            foreach (float v in RowValues(i)) sums[i] += v;
        return sums;
    }

    /// <summary>The sum of each column.</summary>
    public double[] ColumnSums()
    {
        var sums = new double[ColumnCount];
        for (long e = 0; e < Values.LongLength; e++) sums[Columns[e]] += Values[e];
        return sums;
    }

    /// <summary>The transpose, in CSR form (i.e. this matrix in CSC form).</summary>
    public SparseMatrix Transpose()
    {
        var starts = new long[ColumnCount + 1];
        foreach (int c in Columns) starts[c + 1]++;
        for (int c = 0; c < ColumnCount; c++) starts[c + 1] += starts[c];
        var next = starts[..^1].ToArray();
        var columns = new int[Values.Length];
        var values = new float[Values.Length];
        // Rows are visited in order, so each transposed row comes out sorted by column.
        for (int i = 0; i < Rows; i++)
            for (long e = RowStarts[i]; e < RowStarts[i + 1]; e++)
            {
                long at = next[Columns[e]]++;
                columns[at] = i;
                values[at] = Values[e];
            }
        return new SparseMatrix(ColumnCount, Rows, starts, columns, values);
    }

    /// <summary>
    /// Y = this · X for a dense row-major X of <see cref="ColumnCount"/> rows and <paramref name="width"/>
    /// columns; Y is row-major [Rows, width] and overwritten. Rows of Y are computed in parallel, each as a
    /// sum of scaled rows of X (one vectorised multiply-add per stored entry).
    /// </summary>
    /// <exception cref="ArgumentException">X or Y has the wrong length.</exception>
    public void Multiply(float[] x, int width, float[] y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.LongLength != (long)ColumnCount * width) throw new ArgumentException($"X has {x.LongLength} values; [{ColumnCount}, {width}] needs {(long)ColumnCount * width}", nameof(x));
        if (y.LongLength != (long)Rows * width) throw new ArgumentException($"Y has {y.LongLength} values; [{Rows}, {width}] needs {(long)Rows * width}", nameof(y));
        // Blocks of rows, so a task amortises its scheduling over many short rows.
        const int block = 64;
        Parallel.For(0, (Rows + block - 1) / block, b =>
        {
            int end = Math.Min(Rows, (b + 1) * block);
            for (int i = b * block; i < end; i++)
            {
                var row = y.AsSpan(i * width, width);
                row.Clear();
                var columns = RowColumns(i);
                var values = RowValues(i);
                for (int e = 0; e < columns.Length; e++)
                    TensorPrimitives.MultiplyAdd(x.AsSpan(columns[e] * width, width), values[e], row, row);
            }
        });
    }
}
