namespace GraphCompiler.Runtime.Data;

/// <summary>
/// Operators whose result depends on the element type: <c>Batch</c> (contiguous <see cref="Batch{T}"/> for
/// arrays of unmanaged values and pairs of them, plain arrays otherwise) and <c>Cache(filePath)</c>.
/// C# picks the most specific overload, so <c>floats.Batch(32)</c> on a <c>Dataset&lt;float[]&gt;</c> gives
/// <c>Dataset&lt;Batch&lt;float&gt;&gt;</c>.
/// </summary>
public static partial class DatasetExtensions
{
    /// <summary>
    /// Groups consecutive elements into arrays of <paramref name="batchSize"/> (<c>dataset.batch</c>). The last
    /// batch is shorter unless <paramref name="dropRemainder"/>. Each batch is a new array the consumer may keep.
    /// </summary>
    public static Dataset<T[]> Batch<T>(this Dataset<T> source, int batchSize, bool dropRemainder = false)
    {
        ArgumentNullException.ThrowIfNull(source);
        CheckBatchSize(batchSize);
        return new EnumerableDataset<T[]>(() => BatchItems(source, batchSize, dropRemainder));
    }

    /// <summary>
    /// Stacks array elements of equal length into contiguous batches of shape <c>[batchSize, rowLength]</c>
    /// (the last one shorter unless <paramref name="dropRemainder"/>). Buffers are recycled when batches are
    /// disposed; see <see cref="Batch{T}"/> for the contract.
    /// </summary>
    public static Dataset<Batch<T>> Batch<T>(this Dataset<T[]> source, int batchSize, bool dropRemainder = false) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(source);
        CheckBatchSize(batchSize);
        var pool = new BatchBufferPool<T>();
        return new EnumerableDataset<Batch<T>>(() => StackRows(source, new RowStacker<T>(pool, batchSize, null, "Batch"), batchSize, dropRemainder));
    }

    /// <summary>
    /// As <see cref="Batch{T}(Dataset{T[]}, int, bool)"/>, with batch shape <c>[batchSize, ...elementShape]</c>;
    /// every element must hold exactly the product of <paramref name="elementShape"/> values.
    /// </summary>
    public static Dataset<Batch<T>> Batch<T>(this Dataset<T[]> source, int batchSize, bool dropRemainder, int[] elementShape) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(elementShape);
        CheckBatchSize(batchSize);
        if (elementShape.Any(d => d < 0))
            throw new ArgumentException($"Batch: element shape {Dataset.ShapeText(elementShape)} has a negative dimension", nameof(elementShape));
        var shape = (int[])elementShape.Clone();
        var pool = new BatchBufferPool<T>();
        return new EnumerableDataset<Batch<T>>(() => StackRows(source, new RowStacker<T>(pool, batchSize, shape, "Batch"), batchSize, dropRemainder));
    }

    /// <summary>
    /// Batches pairs of arrays (e.g. <c>Dataset.Zip(features, labels)</c>) into a pair of contiguous batches
    /// with the same row count; see <see cref="Batch{T}"/> for the buffer contract.
    /// </summary>
    public static Dataset<(Batch<T1> First, Batch<T2> Second)> Batch<T1, T2>(this Dataset<(T1[], T2[])> source, int batchSize, bool dropRemainder = false)
        where T1 : unmanaged
        where T2 : unmanaged
    {
        ArgumentNullException.ThrowIfNull(source);
        CheckBatchSize(batchSize);
        var firstPool = new BatchBufferPool<T1>();
        var secondPool = new BatchBufferPool<T2>();
        return new EnumerableDataset<(Batch<T1>, Batch<T2>)>(() => StackPairs(
            source,
            new RowStacker<T1>(firstPool, batchSize, null, "Batch (first part)"),
            new RowStacker<T2>(secondPool, batchSize, null, "Batch (second part)"),
            batchSize,
            dropRemainder));
    }

    /// <summary>
    /// Caches array elements in a file (<c>dataset.cache(filename)</c>). If <paramref name="filePath"/> exists, a
    /// pass reads it and never touches the source. Otherwise the pass reads the source and writes the elements to
    /// <c>filePath + ".partial"</c>, renaming it to <paramref name="filePath"/> only when the pass completes: a pass
    /// that stops early, or a process that is killed, never leaves a file that would be mistaken for the cache
    /// (a stale <c>.partial</c> file is overwritten). While another pass is writing, passes read the source.
    /// </summary>
    public static Dataset<T[]> Cache<T>(this Dataset<T[]> source, string filePath) where T : unmanaged =>
        new FileCacheDataset<T[]>(source, filePath, new ArrayCacheCodec<T>());

    /// <summary>Caches strings (e.g. text lines) in a file; semantics as <see cref="Cache{T}(Dataset{T[]}, string)"/>.</summary>
    public static Dataset<string> Cache(this Dataset<string> source, string filePath) =>
        new FileCacheDataset<string>(source, filePath, new StringCacheCodec());

    /// <summary>Caches pairs of arrays in a file; semantics as <see cref="Cache{T}(Dataset{T[]}, string)"/>.</summary>
    public static Dataset<(T1[] First, T2[] Second)> Cache<T1, T2>(this Dataset<(T1[], T2[])> source, string filePath)
        where T1 : unmanaged
        where T2 : unmanaged =>
        new FileCacheDataset<(T1[], T2[])>(source, filePath, new PairCacheCodec<T1[], T2[]>(new ArrayCacheCodec<T1>(), new ArrayCacheCodec<T2>()));

    private static void CheckBatchSize(int batchSize)
    {
        if (batchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "Batch: the batch size must be at least 1");
    }

    private static IEnumerable<T[]> BatchItems<T>(Dataset<T> source, int batchSize, bool dropRemainder)
    {
        var items = new List<T>(batchSize);
        foreach (var item in source)
        {
            items.Add(item);
            if (items.Count == batchSize)
            {
                yield return items.ToArray();
                items.Clear();
            }
        }
        if (items.Count > 0 && !dropRemainder) yield return items.ToArray();
    }

    private static IEnumerable<Batch<T>> StackRows<T>(Dataset<T[]> source, RowStacker<T> stacker, int batchSize, bool dropRemainder) where T : unmanaged =>
        StackGroups(source, stacker.Add, () => stacker.Rows, stacker.Take, stacker.Discard, batchSize, dropRemainder);

    private static IEnumerable<(Batch<T1>, Batch<T2>)> StackPairs<T1, T2>(
        Dataset<(T1[], T2[])> source, RowStacker<T1> first, RowStacker<T2> second, int batchSize, bool dropRemainder)
        where T1 : unmanaged
        where T2 : unmanaged =>
        StackGroups(
            source,
            item =>
            {
                first.Add(item.Item1);
                second.Add(item.Item2);
            },
            () => first.Rows,
            () => (first.Take(), second.Take()),
            () =>
            {
                first.Discard();
                second.Discard();
            },
            batchSize,
            dropRemainder);

    /// <summary>
    /// The loop of every stacking <c>Batch</c>: adds each element's parts to their stackers, takes a batch when
    /// <paramref name="batchSize"/> rows are in, a short last one unless <paramref name="dropRemainder"/>, and
    /// hands back partly filled buffers when the pass ends early.
    /// </summary>
    private static IEnumerable<TBatch> StackGroups<TElement, TBatch>(
        Dataset<TElement> source, Action<TElement> add, Func<int> rows, Func<TBatch> take, Action discard, int batchSize, bool dropRemainder)
    {
        try
        {
            foreach (var item in source)
            {
                add(item);
                if (rows() == batchSize) yield return take();
            }
            if (rows() > 0 && !dropRemainder) yield return take();
        }
        finally
        {
            discard();
        }
    }
}
