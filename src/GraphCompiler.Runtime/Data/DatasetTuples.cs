namespace GraphCompiler.Runtime.Data;

/// <summary>
/// <c>Dataset.zip</c> of three and four datasets: the element tuples of a loss with that many inputs, which
/// <see cref="DatasetExtensions.Batch{T1, T2, T3}"/> stacks into one contiguous batch per part.
/// </summary>
public static partial class Dataset
{
    /// <summary>Triples the elements of three datasets; stops when any ends.</summary>
    public static Dataset<(T1 First, T2 Second, T3 Third)> Zip<T1, T2, T3>(Dataset<T1> first, Dataset<T2> second, Dataset<T3> third)
    {
        ArgumentNullException.ThrowIfNull(third);
        return Zip(Zip(first, second), third).Map(e => (e.First.First, e.First.Second, e.Second));
    }

    /// <summary>Groups the elements of four datasets; stops when any ends.</summary>
    public static Dataset<(T1 First, T2 Second, T3 Third, T4 Fourth)> Zip<T1, T2, T3, T4>(Dataset<T1> first, Dataset<T2> second, Dataset<T3> third, Dataset<T4> fourth)
    {
        ArgumentNullException.ThrowIfNull(fourth);
        return Zip(Zip(first, second, third), fourth).Map(e => (e.First.First, e.First.Second, e.First.Third, e.Second));
    }
}

/// <summary>Batching of three and four arrays per element, as <see cref="DatasetExtensions.Batch{T1, T2}"/> batches pairs.</summary>
public static partial class DatasetExtensions
{
    /// <summary>Batches triples of arrays (<c>Dataset.Zip(a, b, c)</c>) into three contiguous batches with the same row count.</summary>
    public static Dataset<(Batch<T1> First, Batch<T2> Second, Batch<T3> Third)> Batch<T1, T2, T3>(this Dataset<(T1[], T2[], T3[])> source, int batchSize, bool dropRemainder = false)
        where T1 : unmanaged
        where T2 : unmanaged
        where T3 : unmanaged
    {
        ArgumentNullException.ThrowIfNull(source);
        CheckBatchSize(batchSize);
        var (p1, p2, p3) = (new BatchBufferPool<T1>(), new BatchBufferPool<T2>(), new BatchBufferPool<T3>());
        return new EnumerableDataset<(Batch<T1>, Batch<T2>, Batch<T3>)>(() =>
        {
            var (a, b, c) = (Stacker(p1, batchSize, "first"), Stacker(p2, batchSize, "second"), Stacker(p3, batchSize, "third"));
            return StackGroups(source, e => { a.Add(e.Item1); b.Add(e.Item2); c.Add(e.Item3); }, () => a.Rows,
                () => (a.Take(), b.Take(), c.Take()), () => DiscardAll(a, b, c), batchSize, dropRemainder);
        });
    }

    /// <summary>Batches quadruples of arrays (<c>Dataset.Zip(a, b, c, d)</c>) into four contiguous batches with the same row count.</summary>
    public static Dataset<(Batch<T1> First, Batch<T2> Second, Batch<T3> Third, Batch<T4> Fourth)> Batch<T1, T2, T3, T4>(this Dataset<(T1[], T2[], T3[], T4[])> source, int batchSize, bool dropRemainder = false)
        where T1 : unmanaged
        where T2 : unmanaged
        where T3 : unmanaged
        where T4 : unmanaged
    {
        ArgumentNullException.ThrowIfNull(source);
        CheckBatchSize(batchSize);
        var (p1, p2, p3, p4) = (new BatchBufferPool<T1>(), new BatchBufferPool<T2>(), new BatchBufferPool<T3>(), new BatchBufferPool<T4>());
        return new EnumerableDataset<(Batch<T1>, Batch<T2>, Batch<T3>, Batch<T4>)>(() =>
        {
            var (a, b, c, d) = (Stacker(p1, batchSize, "first"), Stacker(p2, batchSize, "second"), Stacker(p3, batchSize, "third"), Stacker(p4, batchSize, "fourth"));
            return StackGroups(source, e => { a.Add(e.Item1); b.Add(e.Item2); c.Add(e.Item3); d.Add(e.Item4); }, () => a.Rows,
                () => (a.Take(), b.Take(), c.Take(), d.Take()), () => DiscardAll(a, b, c, d), batchSize, dropRemainder);
        });
    }

    private static void DiscardAll(params IRowStacker[] stackers)
    {
        foreach (var s in stackers) s.Discard();
    }

    private static RowStacker<T> Stacker<T>(BatchBufferPool<T> pool, int batchSize, string part) where T : unmanaged =>
        new(pool, batchSize, null, $"Batch ({part} part)");
}
