namespace GraphCompiler.Runtime.Devices;

/// <summary>
/// Maps the flat index of an element in a row-major shape of up to <see cref="MaxRank"/> dims to an
/// offset in another tensor, through that tensor's stride along each dim (0 where it is broadcast).
/// One value of this struct is a kernel argument of the device library's layout kernels (broadcast,
/// transpose, reductions over any axes); kernels cannot take arrays, hence the fixed fields.
/// Public because ILGPU's CPU back end emits its launcher in another assembly.
/// </summary>
public readonly record struct StridedMap(int Rank, int D0, int D1, int D2, int D3, int D4, int D5, int S0, int S1, int S2, int S3, int S4, int S5)
{
    /// <summary>The most dims a map holds.</summary>
    public const int MaxRank = 6;

    /// <summary>A map over <paramref name="dims"/> with <paramref name="strides"/> (as many).</summary>
    /// <exception cref="NotSupportedException">More than <see cref="MaxRank"/> dims.</exception>
    public static StridedMap Of(ReadOnlySpan<int> dims, ReadOnlySpan<int> strides)
    {
        if (dims.Length > MaxRank) throw new NotSupportedException($"device layout kernels take at most {MaxRank} dims; got {dims.Length}");
        Span<int> d = stackalloc int[MaxRank];
        Span<int> s = stackalloc int[MaxRank];
        d.Fill(1);
        s.Clear();
        dims.CopyTo(d);
        strides.CopyTo(s);
        return new StridedMap(dims.Length, d[0], d[1], d[2], d[3], d[4], d[5], s[0], s[1], s[2], s[3], s[4], s[5]);
    }

    /// <summary>The offset of flat element <paramref name="index"/> (decomposed from the last dim).</summary>
    public long Offset(long index)
    {
        long offset = 0;
        for (int a = Rank - 1; a >= 0; a--)
        {
            int d = Dim(a);
            offset += index % d * Stride(a);
            index /= d;
        }
        return offset;
    }

    /// <summary>The element count of the dims.</summary>
    public long Count
    {
        get
        {
            long n = 1;
            for (int a = 0; a < Rank; a++) n *= Dim(a);
            return n;
        }
    }

    private int Dim(int a) => a switch { 0 => D0, 1 => D1, 2 => D2, 3 => D3, 4 => D4, _ => D5 };

    private int Stride(int a) => a switch { 0 => S0, 1 => S1, 2 => S2, 3 => S3, 4 => S4, _ => S5 };

    /// <summary>The map from a flat index of <paramref name="yShape"/> to the element of <paramref name="xShape"/> that broadcasts there (NumPy rules, aligned at the last dim).</summary>
    public static StridedMap Broadcast(int[] xShape, int[] yShape)
    {
        var xStrides = RowMajorStrides(xShape);
        var strides = new int[yShape.Length];
        int offset = yShape.Length - xShape.Length;
        for (int a = offset; a < yShape.Length; a++) strides[a] = xShape[a - offset] == 1 ? 0 : xStrides[a - offset];
        return Of(yShape, strides);
    }

    /// <summary>Row-major strides of <paramref name="shape"/>.</summary>
    public static int[] RowMajorStrides(ReadOnlySpan<int> shape)
    {
        var strides = new int[shape.Length];
        int s = 1;
        for (int a = shape.Length - 1; a >= 0; a--)
        {
            strides[a] = s;
            s *= shape[a];
        }
        return strides;
    }
}
