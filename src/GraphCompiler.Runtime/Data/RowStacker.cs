namespace GraphCompiler.Runtime.Data;

/// <summary>
/// Copies array elements of equal length into pooled contiguous buffers, <paramref name="batchSize"/> rows at a
/// time; the building block of the unmanaged <c>Batch</c> stages. One instance per pass.
/// </summary>
internal sealed class RowStacker<T>(BatchBufferPool<T> pool, int batchSize, int[]? elementShape, string stage) : IRowStacker where T : unmanaged
{
    private int _rowLength = -1;
    private int[]? _fullShape;
    private T[]? _buffer;
    private int _rows;
    private long _elementIndex;

    public int Rows => _rows;

    public void Add(T[]? row)
    {
        if (row == null)
            throw new InvalidOperationException($"{stage}: element {_elementIndex} is null");
        if (_rowLength < 0)
            StartShape(row.Length);
        else if (row.Length != _rowLength)
            throw new InvalidOperationException(
                $"{stage}: element {_elementIndex} has {row.Length} values but the first element had {_rowLength}; batched elements must all have the same length");
        _buffer ??= pool.Rent(checked(batchSize * _rowLength));
        row.CopyTo(_buffer, _rows * _rowLength);
        _rows++;
        _elementIndex++;
    }

    /// <summary>The rows gathered so far as a batch; the stacker starts an empty one.</summary>
    public Batch<T> Take()
    {
        var buffer = _buffer ?? throw new InvalidOperationException($"{stage}: no rows to take");
        var shape = _rows == batchSize ? _fullShape! : ShapeFor(_rows);
        // A short final batch keeps the pooled full-size buffer and views only its first rows.
        var batch = new Batch<T>(buffer, _rows * _rowLength, shape, pool);
        _buffer = null;
        _rows = 0;
        return batch;
    }

    /// <summary>Hands back a partly filled buffer that will not become a batch (dropped remainder).</summary>
    public void Discard()
    {
        if (_buffer != null) pool.Return(_buffer);
        _buffer = null;
        _rows = 0;
    }

    private void StartShape(int rowLength)
    {
        if (elementShape != null)
        {
            long product = 1;
            foreach (var d in elementShape) product *= d;
            if (product != rowLength)
                throw new InvalidOperationException(
                    $"{stage}: the element shape {Dataset.ShapeText(elementShape)} holds {product} values but element {_elementIndex} has {rowLength}");
        }
        _rowLength = rowLength;
        // Every full batch shares one shape array; it is only ever exposed read-only.
        _fullShape = ShapeFor(batchSize);
    }

    private int[] ShapeFor(int rows)
    {
        if (elementShape == null) return [rows, _rowLength];
        var shape = new int[elementShape.Length + 1];
        shape[0] = rows;
        elementShape.CopyTo(shape, 1);
        return shape;
    }
}

/// <summary>What discarding the stackers of a tuple's parts needs, whatever their element types.</summary>
internal interface IRowStacker
{
    void Discard();
}
