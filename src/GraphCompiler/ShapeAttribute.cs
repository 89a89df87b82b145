namespace GraphCompiler;

/// <summary>
/// Declares the shape and element type of an entry-point parameter (TensorFlow's placeholder).
/// Each dimension is an <c>int</c> (static size) or a <c>string</c> (a symbolic size bound at each
/// call, such as a batch size <c>"n"</c>); no dimensions declares a scalar.
/// </summary>
/// <example><c>[Shape("batch", 784)] Tensor images</c></example>
[AttributeUsage(AttributeTargets.Parameter, Inherited = false, AllowMultiple = false)]
public sealed class ShapeAttribute : Attribute
{
    /// <summary>Declares the dimensions: ints for static sizes, strings for symbolic ones.</summary>
    public ShapeAttribute(params object[] dims) => Dims = dims;

    /// <summary>The dimensions as written.</summary>
    public IReadOnlyList<object> Dims { get; }

    /// <summary>The element type fed to this parameter.</summary>
    public DType DType { get; set; } = DType.Float32;
}
