using System.Collections;

namespace GraphCompiler.Runtime.Data;

/// <summary>
/// A lazily evaluated, possibly infinite sequence of elements, in the manner of <c>tf.data.Dataset</c>.
/// Nothing runs until the dataset is enumerated; every enumeration is one independent pass over the
/// pipeline (an "epoch"). Operators return new datasets and never change the one they are called on.
/// Create datasets with the factories on <see cref="Dataset"/>; batching and file caching are extension
/// methods on <see cref="DatasetExtensions"/> because their result type depends on the element type.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public abstract class Dataset<T> : IEnumerable<T>
{
    /// <summary>Starts one pass over the dataset.</summary>
    public abstract IEnumerator<T> GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Applies <paramref name="selector"/> to every element (<c>dataset.map</c>).</summary>
    public Dataset<TResult> Map<TResult>(Func<T, TResult> selector)
    {
        ArgumentNullException.ThrowIfNull(selector);
        return new EnumerableDataset<TResult>(() => MapIterator(this, selector));
    }

    /// <summary>Keeps the elements for which <paramref name="predicate"/> is true (<c>dataset.filter</c>).</summary>
    public Dataset<T> Filter(Func<T, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        return new EnumerableDataset<T>(() => FilterIterator(this, predicate));
    }

    /// <summary>
    /// Randomly shuffles the elements with TensorFlow's buffer semantics: a buffer is filled with the first
    /// <paramref name="bufferSize"/> elements, then each output is drawn uniformly from the buffer and its slot
    /// refilled with the next input. A buffer at least as large as the dataset gives a uniform permutation.
    /// The order is a pure function of <paramref name="seed"/> and of how many passes this dataset has already
    /// started: with <paramref name="reshuffleEachIteration"/> (the default, as in TensorFlow) pass <c>k</c> uses a
    /// seed derived from (<paramref name="seed"/>, <c>k</c>), so epochs differ from each other but a re-run of the
    /// program repeats them exactly; without it every pass has the same order.
    /// </summary>
    public Dataset<T> Shuffle(int bufferSize, ulong seed, bool reshuffleEachIteration = true)
    {
        if (bufferSize < 1)
            throw new ArgumentOutOfRangeException(nameof(bufferSize), bufferSize, "Shuffle: the buffer size must be at least 1");
        return new ShuffleDataset<T>(this, bufferSize, seed, reshuffleEachIteration);
    }

    /// <summary>
    /// Repeats the dataset forever (<c>dataset.repeat()</c>). Each repetition is a new pass over the source, so
    /// an upstream <see cref="Shuffle"/> reshuffles. Repeating an empty dataset yields nothing instead of spinning.
    /// </summary>
    public Dataset<T> Repeat() => new EnumerableDataset<T>(() => RepeatIterator(this, -1));

    /// <summary>Repeats the dataset <paramref name="count"/> times (0 gives an empty dataset).</summary>
    public Dataset<T> Repeat(long count)
    {
        if (count < 0)
            throw new ArgumentOutOfRangeException(nameof(count), count, "Repeat: the count must be non-negative; call Repeat() to repeat forever");
        return new EnumerableDataset<T>(() => RepeatIterator(this, count));
    }

    /// <summary>
    /// The first <paramref name="count"/> elements. Never pulls more than <paramref name="count"/> elements from
    /// the source, so it is safe on infinite sources and ahead of expensive stages.
    /// </summary>
    public Dataset<T> Take(long count)
    {
        if (count < 0)
            throw new ArgumentOutOfRangeException(nameof(count), count, "Take: the count must be non-negative");
        return new EnumerableDataset<T>(() => TakeIterator(this, count));
    }

    /// <summary>
    /// Every <paramref name="count"/>-th element starting at <paramref name="index"/> (<c>dataset.shard</c>): the
    /// shard of one rank in data-parallel training, <c>Shard(world, rank)</c>. Shard after a shuffle that every
    /// rank seeds alike and before batching by the global batch over <paramref name="count"/>: then the ranks'
    /// batches of one step together are the global batch a single process would take.
    /// </summary>
    public Dataset<T> Shard(int count, int index)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "Shard: the number of shards must be at least 1");
        if (index < 0 || index >= count) throw new ArgumentOutOfRangeException(nameof(index), index, $"Shard: the index must be in [0, {count})");
        return new EnumerableDataset<T>(() => ShardIterator(this, count, index));
    }

    /// <summary>All but the first <paramref name="count"/> elements.</summary>
    public Dataset<T> Skip(long count)
    {
        if (count < 0)
            throw new ArgumentOutOfRangeException(nameof(count), count, "Skip: the count must be non-negative");
        return new EnumerableDataset<T>(() => SkipIterator(this, count));
    }

    /// <summary>
    /// Keeps the elements in memory after the first complete pass; later passes replay them without touching
    /// the source. A pass that stops early (e.g. under <see cref="Take"/>) caches nothing. Elements are held by
    /// reference: cached <see cref="Batch{T}"/>s keep their buffers and ignore <see cref="Batch{T}.Dispose"/>.
    /// For a file cache see <see cref="DatasetExtensions.Cache{T}(Dataset{T[]}, string)"/>.
    /// </summary>
    public Dataset<T> Cache() => new MemoryCacheDataset<T>(this);

    /// <summary>
    /// Produces elements on a background thread up to <paramref name="bufferSize"/> ahead of the consumer,
    /// so that input work overlaps the train step. An exception in the pipeline reaches the consumer's
    /// <c>MoveNext</c> (after the elements produced before it) with its original stack trace. Disposing the
    /// enumerator (leaving a <c>foreach</c>) stops the thread and waits for it, which disposes the upstream
    /// enumerators; cancelling <paramref name="cancellationToken"/> stops it too and makes <c>MoveNext</c>
    /// throw <see cref="OperationCanceledException"/>. No allocation per element: a fixed ring buffer.
    /// </summary>
    public Dataset<T> Prefetch(int bufferSize, CancellationToken cancellationToken = default)
    {
        if (bufferSize < 1)
            throw new ArgumentOutOfRangeException(nameof(bufferSize), bufferSize, "Prefetch: the buffer size must be at least 1");
        return new PrefetchDataset<T>(this, bufferSize, cancellationToken);
    }

    private static IEnumerable<TResult> MapIterator<TResult>(Dataset<T> source, Func<T, TResult> selector)
    {
        foreach (var item in source) yield return selector(item);
    }

    private static IEnumerable<T> FilterIterator(Dataset<T> source, Func<T, bool> predicate)
    {
        foreach (var item in source)
            if (predicate(item)) yield return item;
    }

    private static IEnumerable<T> RepeatIterator(Dataset<T> source, long count)
    {
        for (long pass = 0; count < 0 || pass < count; pass++)
        {
            bool any = false;
            foreach (var item in source)
            {
                any = true;
                yield return item;
            }
            // An empty pass means every further pass is empty too; stop rather than loop forever.
            if (!any) yield break;
        }
    }

    private static IEnumerable<T> TakeIterator(Dataset<T> source, long count)
    {
        if (count == 0) yield break;
        long taken = 0;
        foreach (var item in source)
        {
            yield return item;
            if (++taken == count) yield break;
        }
    }

    private static IEnumerable<T> ShardIterator(Dataset<T> source, int count, int index)
    {
        long i = 0;
        foreach (var item in source)
            if (i++ % count == index) yield return item;
    }

    private static IEnumerable<T> SkipIterator(Dataset<T> source, long count)
    {
        long seen = 0;
        foreach (var item in source)
        {
            if (seen < count)
            {
                seen++;
                continue;
            }
            yield return item;
        }
    }
}
