namespace GraphCompiler.Runtime.Kernels;

/// <summary>Shape helpers shared by the layout kernels (element counts, row-major strides, messages).</summary>
internal static class TensorShapes
{
    /// <summary>The largest rank the layout kernels accept (their scratch lives on the stack).</summary>
    public const int MaxRank = 8;

    /// <summary>Product of the dims, checked for negative dims and int overflow.</summary>
    public static int ElementCount(ReadOnlySpan<int> shape, string name)
    {
        long count = 1;
        for (int i = 0; i < shape.Length; i++)
        {
            if (shape[i] < 0) throw new ArgumentException($"{name} {Format(shape)} has a negative dimension at index {i}.", name);
            count *= shape[i];
            if (count > int.MaxValue) throw new ArgumentException($"{name} {Format(shape)} has more than {int.MaxValue} elements.", name);
        }

        return (int)count;
    }

    /// <summary>Row-major strides of <paramref name="shape"/> into <paramref name="strides"/>.</summary>
    public static void RowMajorStrides(ReadOnlySpan<int> shape, Span<int> strides)
    {
        int s = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            strides[i] = s;
            s *= Math.Max(shape[i], 1);
        }
    }

    public static string Format(ReadOnlySpan<int> shape) => "[" + string.Join(", ", shape.ToArray()) + "]";
}
