namespace GraphCompiler;

/// <summary>
/// A symbolic tensor: a value of the graph being built. Its operators create elementwise ops with
/// NumPy broadcasting; a <c>float</c> operand becomes a scalar constant of the tensor's dtype.
/// Tensors exist only while the generator evaluates model code at build time.
/// </summary>
public readonly struct Tensor
{
    /// <summary>The static shape (dimensions may be symbolic, e.g. a batch size).</summary>
    public TensorShape Shape => throw BuildTime.Only("Tensor.Shape");

    /// <summary>The element type.</summary>
    public DType DType => throw BuildTime.Only("Tensor.DType");

    /// <summary>A scalar constant of dtype Float32.</summary>
    public static implicit operator Tensor(float value) => throw BuildTime.Only("Tensor conversion");

    /// <summary>Elementwise <c>a + b</c>. Gradient: dy to each input, summed over broadcast axes.</summary>
    public static Tensor operator +(Tensor a, Tensor b) => throw BuildTime.Only("Tensor +");

    /// <inheritdoc cref="op_Addition(Tensor, Tensor)"/>
    public static Tensor operator +(Tensor a, float b) => throw BuildTime.Only("Tensor +");

    /// <inheritdoc cref="op_Addition(Tensor, Tensor)"/>
    public static Tensor operator +(float a, Tensor b) => throw BuildTime.Only("Tensor +");

    /// <summary>Elementwise <c>a − b</c>. Gradient: dy to a, −dy to b, summed over broadcast axes.</summary>
    public static Tensor operator -(Tensor a, Tensor b) => throw BuildTime.Only("Tensor -");

    /// <inheritdoc cref="op_Subtraction(Tensor, Tensor)"/>
    public static Tensor operator -(Tensor a, float b) => throw BuildTime.Only("Tensor -");

    /// <inheritdoc cref="op_Subtraction(Tensor, Tensor)"/>
    public static Tensor operator -(float a, Tensor b) => throw BuildTime.Only("Tensor -");

    /// <summary>Elementwise <c>a · b</c>. Gradient: dy·b to a, dy·a to b, summed over broadcast axes.</summary>
    public static Tensor operator *(Tensor a, Tensor b) => throw BuildTime.Only("Tensor *");

    /// <inheritdoc cref="op_Multiply(Tensor, Tensor)"/>
    public static Tensor operator *(Tensor a, float b) => throw BuildTime.Only("Tensor *");

    /// <inheritdoc cref="op_Multiply(Tensor, Tensor)"/>
    public static Tensor operator *(float a, Tensor b) => throw BuildTime.Only("Tensor *");

    /// <summary>Elementwise <c>a / b</c>. Gradient: dy/b to a, −dy·a/b² to b, summed over broadcast axes.</summary>
    public static Tensor operator /(Tensor a, Tensor b) => throw BuildTime.Only("Tensor /");

    /// <inheritdoc cref="op_Division(Tensor, Tensor)"/>
    public static Tensor operator /(Tensor a, float b) => throw BuildTime.Only("Tensor /");

    /// <inheritdoc cref="op_Division(Tensor, Tensor)"/>
    public static Tensor operator /(float a, Tensor b) => throw BuildTime.Only("Tensor /");

    /// <summary>Elementwise <c>−x</c>. Gradient: −dy.</summary>
    public static Tensor operator -(Tensor x) => throw BuildTime.Only("Tensor -");
}

/// <summary>The shape of a <see cref="Tensor"/>, readable at build time for shape arithmetic.</summary>
public readonly struct TensorShape
{
    /// <summary>The size of <paramref name="axis"/> (negative counts from the end). A symbolic size
    /// may be passed on (to <see cref="Ops.Reshape"/>) but not used in arithmetic.</summary>
    public int this[int axis] => throw BuildTime.Only("TensorShape indexer");

    /// <summary>The number of dimensions.</summary>
    public int Rank => throw BuildTime.Only("TensorShape.Rank");
}
