namespace GraphCompiler.Runtime;

/// <summary>A dense result tensor returned by generated inference methods: a shape and C-order data.</summary>
public sealed class NDArray<T> where T : unmanaged
{
    public NDArray(int[] shape, T[] data)
    {
        long count = 1;
        foreach (var d in shape) count *= d;
        if (count != data.Length) throw new ArgumentException($"shape [{string.Join(", ", shape)}] needs {count} values, got {data.Length}");
        Shape = shape;
        Data = data;
    }

    public IReadOnlyList<int> Shape { get; }

    public T[] Data { get; }

    public int Rank => Shape.Count;

    /// <summary>The element at the given coordinates.</summary>
    public T this[params int[] index]
    {
        get
        {
            if (index.Length != Shape.Count) throw new ArgumentException($"a rank-{Shape.Count} tensor needs {Shape.Count} indices, got {index.Length}");
            int flat = 0;
            for (int i = 0; i < index.Length; i++)
            {
                if ((uint)index[i] >= (uint)Shape[i]) throw new IndexOutOfRangeException($"index {index[i]} is out of range for axis {i} of size {Shape[i]}");
                flat = flat * Shape[i] + index[i];
            }
            return Data[flat];
        }
    }

    /// <summary>NumPy-style text of the values.</summary>
    public override string ToString() => ArrayFormat.Format(Data, Shape);
}
