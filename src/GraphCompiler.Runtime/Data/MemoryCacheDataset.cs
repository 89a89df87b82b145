namespace GraphCompiler.Runtime.Data;

/// <summary>In-memory cache; see <see cref="Dataset{T}.Cache()"/>.</summary>
internal sealed class MemoryCacheDataset<T>(Dataset<T> source) : Dataset<T>
{
    private List<T>? _cached;

    public override IEnumerator<T> GetEnumerator()
    {
        var cached = Volatile.Read(ref _cached);
        return cached != null ? cached.GetEnumerator() : Fill().GetEnumerator();
    }

    private IEnumerable<T> Fill()
    {
        var items = new List<T>();
        foreach (var item in source)
        {
            // A cached batch is replayed every epoch, so its buffer must never go back to the pool.
            BatchOwnership.Pin(item);
            items.Add(item);
            yield return item;
        }
        // Only a complete pass is a valid cache; the first one to finish wins.
        Interlocked.CompareExchange(ref _cached, items, null);
    }
}
