namespace GraphCompiler.Runtime.Checkpoints;

/// <summary>The safetensors spellings and element sizes of the <see cref="DType"/>s a checkpoint can hold.</summary>
public static class SafeTensorDTypes
{
    /// <summary>The safetensors name of <paramref name="dtype"/>: F32, F64, I32, I64 or BOOL.</summary>
    public static string Name(DType dtype) => dtype switch
    {
        DType.Float32 => "F32",
        DType.Float64 => "F64",
        DType.Int32 => "I32",
        DType.Int64 => "I64",
        DType.Bool => "BOOL",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "not a dtype safetensors files can hold"),
    };

    /// <summary>The bytes one element of <paramref name="dtype"/> takes in a file.</summary>
    public static int ElementSize(DType dtype) => dtype switch
    {
        DType.Float32 or DType.Int32 => 4,
        DType.Float64 or DType.Int64 => 8,
        DType.Bool => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "not a dtype safetensors files can hold"),
    };

    /// <summary>
    /// The byte count of a tensor of <paramref name="dtype"/> and <paramref name="shape"/>; null when a dimension is
    /// negative or the count does not fit a <see cref="long"/>. Any zero dimension makes it 0, however large the others.
    /// </summary>
    internal static long? ByteLength(DType dtype, IReadOnlyList<int> shape)
    {
        foreach (var d in shape)
        {
            if (d < 0) return null;
            if (d == 0) return 0;
        }
        long count = ElementSize(dtype);
        foreach (var d in shape)
        {
            if (count > long.MaxValue / d) return null;
            count *= d;
        }
        return count;
    }

    /// <summary>Parses a safetensors dtype name; false for names this runtime does not support (BF16, U8, ...).</summary>
    public static bool TryParse(string name, out DType dtype)
    {
        switch (name)
        {
            case "F32": dtype = DType.Float32; return true;
            case "F64": dtype = DType.Float64; return true;
            case "I32": dtype = DType.Int32; return true;
            case "I64": dtype = DType.Int64; return true;
            case "BOOL": dtype = DType.Bool; return true;
            default: dtype = default; return false;
        }
    }
}
