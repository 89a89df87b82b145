namespace GraphCompiler.Runtime.Data;

/// <summary>
/// A batch of array elements stacked into one contiguous C-order buffer with a shape
/// (<c>[rows, ...elementShape]</c>), so that a generated entry point can take <see cref="Span"/> directly.
/// <para>
/// Buffer contract: a batch owns its buffer until it is disposed. <see cref="Dispose"/> hands the buffer
/// back to the <c>Batch</c> stage that produced it, which fills it again for a later batch; after that the
/// batch throws <see cref="ObjectDisposedException"/> on access. So dispose a batch only when you no longer
/// read it or anything that aliases its memory; never dispose one you keep. A batch that is not disposed is
/// simply collected (nothing leaks, the stage allocates a fresh buffer instead). <c>Trainer.Fit</c> and
/// <c>Trainer.Evaluate</c> dispose each batch after the step function returns, which makes a training loop
/// over <c>Batch</c> (even behind <c>Prefetch</c>) run without per-batch buffer allocation. Batches held by
/// <see cref="Dataset{T}.Cache()"/> are pinned: their <see cref="Dispose"/> does nothing.
/// </para>
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class Batch<T> : IDisposable, IBatchOwnership where T : unmanaged
{
    private T[]? _buffer;
    private readonly BatchBufferPool<T>? _pool;
    private volatile bool _pinned;
    private readonly int _length;
    private readonly int[] _shape;

    internal Batch(T[] buffer, int length, int[] shape, BatchBufferPool<T>? pool)
    {
        _buffer = buffer;
        _length = length;
        _shape = shape;
        _pool = pool;
    }

    /// <summary>The number of elements (rows) stacked in this batch: <c>Shape[0]</c>.</summary>
    public int Count => _shape[0];

    /// <summary>The batch shape, <c>[Count, ...elementShape]</c>.</summary>
    public IReadOnlyList<int> Shape => _shape;

    /// <summary>The number of values in one element (row).</summary>
    public int RowLength => Count == 0 ? 0 : _length / Count;

    /// <summary>All values, C order; exactly <c>Count * RowLength</c> long.</summary>
    public Span<T> Span => Buffer.AsSpan(0, _length);

    /// <summary>All values as <see cref="Memory{T}"/> (valid only while the batch is not disposed).</summary>
    public Memory<T> Memory => Buffer.AsMemory(0, _length);

    /// <summary>The values of element <paramref name="index"/>.</summary>
    public Span<T> Row(int index)
    {
        if ((uint)index >= (uint)Count)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"the batch has {Count} rows");
        int rowLength = RowLength;
        return Buffer.AsSpan(index * rowLength, rowLength);
    }

    /// <summary>A copy of the values that stays valid after the batch is disposed.</summary>
    public T[] ToArray() => Span.ToArray();

    /// <summary>Hands the buffer back for reuse (see the class remarks); idempotent.</summary>
    public void Dispose()
    {
        // A pinned batch is replayed by a cache and must stay readable, so its Dispose does nothing.
        if (_pinned) return;
        var buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer != null) _pool?.Return(buffer);
    }

    void IBatchOwnership.Pin() => _pinned = true;

    void IBatchOwnership.Release() => Dispose();

    int IBatchOwnership.Count => Count;

    private T[] Buffer => _buffer ?? throw new ObjectDisposedException(
        $"Batch<{typeof(T).Name}>", "this batch was disposed and its buffer handed back for reuse; copy the values (ToArray) before disposing if you need them later");

    /// <inheritdoc/>
    public override string ToString() => $"Batch<{typeof(T).Name}> {Dataset.ShapeText(_shape)}";
}
