namespace GraphCompiler.Compiler.IR;

/// <summary>
/// A concrete tensor for reference evaluation: values held as double whatever the dtype, so the
/// interpreter and finite-difference checks run in double precision.
/// </summary>
public sealed class RefTensor
{
    public RefTensor(DType dtype, int[] shape, double[] data)
    {
        long count = 1;
        foreach (var d in shape) count *= d;
        if (count != data.Length) throw new ArgumentException($"shape [{string.Join(", ", shape)}] needs {count} values, got {data.Length}");
        DType = dtype;
        Shape = shape;
        Data = data;
    }

    public DType DType { get; }

    public int[] Shape { get; }

    public double[] Data { get; }

    public int Rank => Shape.Length;

    public static RefTensor Scalar(double v, DType dtype = DType.Float64) => new(dtype, Array.Empty<int>(), new[] { v });

    public static RefTensor Zeros(DType dtype, int[] shape) => new(dtype, shape, new double[Count(shape)]);

    public static long Count(int[] shape)
    {
        long n = 1;
        foreach (var d in shape) n *= d;
        return n;
    }

    /// <summary>C-order strides of a shape, in elements.</summary>
    public static long[] Strides(int[] shape)
    {
        var s = new long[shape.Length];
        long acc = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            s[i] = acc;
            acc *= shape[i];
        }
        return s;
    }

    /// <summary>The flat index into a tensor of <paramref name="shape"/> broadcast to <paramref name="outShape"/>.</summary>
    public static long BroadcastIndex(long outIndex, int[] outShape, int[] shape)
    {
        long idx = 0, stride = 1;
        int offset = outShape.Length - shape.Length;
        for (int ax = outShape.Length - 1; ax >= 0; ax--)
        {
            long coord = outIndex % outShape[ax];
            outIndex /= outShape[ax];
            int inAx = ax - offset;
            if (inAx < 0) continue;
            if (shape[inAx] != 1) idx += coord * stride;
            stride *= shape[inAx];
        }
        return idx;
    }

    /// <summary>Rounds values to what the dtype can hold (float32 rounding, integer truncation).</summary>
    public static double Round(DType dtype, double v) => dtype switch
    {
        DType.Float32 => (float)v,
        DType.Int32 => (int)v,
        DType.Int64 => (long)v,
        DType.Bool => v != 0 ? 1 : 0,
        _ => v,
    };
}
