namespace GraphCompiler.Runtime.Checkpoints;

/// <summary>One named tensor of a safetensors file: dtype, shape (C order) and its raw little-endian bytes.</summary>
public sealed class SafeTensor
{
    /// <summary>Creates a tensor; the byte count must be the element count times the dtype's size.</summary>
    public SafeTensor(string name, DType dtype, IReadOnlyList<int> shape, byte[] data)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        long expected = SafeTensorDTypes.ByteLength(dtype, shape)
            ?? throw new ArgumentException($"tensor '{name}' has shape {ShapeText(shape)}, which has a negative dimension or too many elements", nameof(shape));
        if (data.LongLength != expected)
            throw new ArgumentException($"tensor '{name}' ({SafeTensorDTypes.Name(dtype)} {ShapeText(shape)}) needs {expected} bytes; got {data.LongLength}", nameof(data));
        Name = name;
        DType = dtype;
        Shape = shape.ToArray();
        Data = data;
    }

    /// <summary>The tensor's key in the file (a variable's full name, e.g. <c>two_layers/h1/weights</c>).</summary>
    public string Name { get; }

    /// <summary>The element type (F32, F64, I32, I64 or BOOL in the file).</summary>
    public DType DType { get; }

    /// <summary>The dimensions, outermost first; empty for a scalar.</summary>
    public IReadOnlyList<int> Shape { get; }

    /// <summary>The values as raw little-endian bytes in C order.</summary>
    public byte[] Data { get; }

    /// <summary>The shape as text, e.g. <c>[200, 100]</c>.</summary>
    public string ShapeText() => ShapeText(Shape);

    internal static string ShapeText(IReadOnlyList<int> shape) => "[" + string.Join(", ", shape) + "]";
}

/// <summary>A tensor's name, dtype and shape: what a safetensors header says about it.</summary>
public readonly record struct SafeTensorInfo(string Name, DType DType, IReadOnlyList<int> Shape)
{
    /// <summary>The byte count of the tensor's data.</summary>
    public long ByteLength => SafeTensorDTypes.ByteLength(DType, Shape)
        ?? throw new OverflowException($"tensor '{Name}' has shape {SafeTensor.ShapeText(Shape)}, which has a negative dimension or too many elements");
}

/// <summary>Supplies the bytes of the tensor at <paramref name="index"/> while a file is written (no copy needed).</summary>
public delegate ReadOnlySpan<byte> TensorBytesProvider(int index);
