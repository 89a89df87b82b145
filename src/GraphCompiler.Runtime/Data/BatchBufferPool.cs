namespace GraphCompiler.Runtime.Data;

/// <summary>
/// The buffers of one <c>Batch</c> stage that consumers have handed back. Buffers come back from whichever
/// thread disposes the batch (the consumer, while a prefetch thread rents), hence the lock. The pool is small:
/// in steady state only as many buffers circulate as there are batches in flight.
/// </summary>
internal sealed class BatchBufferPool<T> where T : unmanaged
{
    private const int MaxPooled = 16;
    private readonly Stack<T[]> _free = new();
    private int _bufferLength = -1;

    /// <summary>A buffer of exactly <paramref name="length"/> values; pooled buffers all have the stage's full-batch length.</summary>
    public T[] Rent(int length)
    {
        lock (_free)
        {
            if (_bufferLength != length)
            {
                // The row length of a stage can only change between passes over different data; drop old buffers.
                _free.Clear();
                _bufferLength = length;
            }
            else if (_free.Count > 0)
            {
                return _free.Pop();
            }
        }
        return new T[length];
    }

    public void Return(T[] buffer)
    {
        lock (_free)
        {
            if (buffer.Length == _bufferLength && _free.Count < MaxPooled) _free.Push(buffer);
        }
    }
}
