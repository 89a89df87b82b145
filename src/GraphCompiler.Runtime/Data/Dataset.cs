using System.Text;

namespace GraphCompiler.Runtime.Data;

/// <summary>Factories for <see cref="Dataset{T}"/> (<c>tf.data.Dataset.from_*</c>).</summary>
public static partial class Dataset
{
    /// <summary>
    /// The items of <paramref name="items"/> in order. The array is not copied: a pass sees its contents at the
    /// time the pass reads them.
    /// </summary>
    public static Dataset<T> FromArray<T>(T[] items)
    {
        ArgumentNullException.ThrowIfNull(items);
        return new EnumerableDataset<T>(() => items);
    }

    /// <summary>
    /// Slices a C-order tensor along axis 0 (<c>from_tensor_slices</c>): element <c>i</c> is a new array holding
    /// row <c>i</c>, i.e. <c>shape[1] * ... * shape[rank-1]</c> values (one value for a rank-1 tensor). The data
    /// is not copied up front; each row is copied when it is produced, so consumers may keep the rows.
    /// </summary>
    /// <param name="data">The values in C order.</param>
    /// <param name="shape">The tensor shape; its product must equal <c>data.Length</c>.</param>
    public static Dataset<T[]> FromTensorSlices<T>(T[] data, int[] shape) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Length == 0)
            throw new ArgumentException("FromTensorSlices: the shape must have at least one axis to slice along", nameof(shape));
        long count = 1;
        for (int axis = 0; axis < shape.Length; axis++)
        {
            if (shape[axis] < 0)
                throw new ArgumentException($"FromTensorSlices: axis {axis} of shape {ShapeText(shape)} is negative", nameof(shape));
            count *= shape[axis];
        }
        if (count != data.Length)
            throw new ArgumentException($"FromTensorSlices: shape {ShapeText(shape)} holds {count} values but the data has {data.Length}", nameof(data));
        int rows = shape[0];
        int rowLength = rows == 0 ? 0 : (int)(count / rows);
        return new EnumerableDataset<T[]>(() => SliceIterator(data, rows, rowLength));
    }

    /// <summary>
    /// A dataset over sequences made by <paramref name="factory"/>, called once per pass (so a generator method
    /// restarts every epoch). The sequence may be infinite.
    /// </summary>
    public static Dataset<T> FromEnumerable<T>(Func<IEnumerable<T>> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return new EnumerableDataset<T>(factory);
    }

    /// <summary>
    /// The lines of a UTF-8 text file (a byte-order mark is skipped), streamed: the file is opened when a pass
    /// starts and closed when it ends. Line terminators (<c>\n</c>, <c>\r\n</c>, <c>\r</c>) are removed
    /// (<c>TextLineDataset</c>). A missing file fails when the pass starts, naming the path.
    /// </summary>
    public static Dataset<string> FromTextLines(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new EnumerableDataset<string>(() => LineIterator(path));
    }

    /// <summary>
    /// Pairs the elements of two datasets (<c>Dataset.zip</c>); stops when either ends. Batching a zip of two
    /// array datasets gives a pair of contiguous batches (see <see cref="DatasetExtensions"/>).
    /// </summary>
    public static Dataset<(T1 First, T2 Second)> Zip<T1, T2>(Dataset<T1> first, Dataset<T2> second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        return new EnumerableDataset<(T1, T2)>(() => ZipIterator(first, second));
    }

    private static IEnumerable<T[]> SliceIterator<T>(T[] data, int rows, int rowLength) where T : unmanaged
    {
        for (int row = 0; row < rows; row++)
            yield return data.AsSpan(row * rowLength, rowLength).ToArray();
    }

    private static IEnumerable<string> LineIterator(string path)
    {
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        while (reader.ReadLine() is { } line)
            yield return line;
    }

    private static IEnumerable<(T1, T2)> ZipIterator<T1, T2>(Dataset<T1> first, Dataset<T2> second)
    {
        using var a = first.GetEnumerator();
        using var b = second.GetEnumerator();
        while (a.MoveNext() && b.MoveNext())
            yield return (a.Current, b.Current);
    }

    internal static string ShapeText(IReadOnlyList<int> shape) => "[" + string.Join(", ", shape) + "]";
}
