using System.Collections;
using System.Numerics.Tensors;

namespace GraphCompiler.Runtime;

/// <summary>
/// The gradients of a model's loss with respect to its trainable variables, as the generated
/// <c>ComputeGradients</c> writes them and <c>ApplyGradients</c> reads them. All gradients of one dtype
/// live in one flat buffer (<see cref="Float32"/>: trained variables are float32), laid out in variable
/// order, so that summing, scaling or all-reducing the whole set is one loop or one call. Generated
/// models derive typed sets from it that mirror their variable scopes (<c>grads.TwoLayers.H1.Weights</c>).
/// </summary>
public abstract partial class GradientSet : IReadOnlyList<Gradient>
{
    private readonly List<Gradient> _ordered = new();
    private readonly Dictionary<string, Gradient> _byName = new(StringComparer.Ordinal);

    protected GradientSet(int float32Count, IReadOnlyList<GradientBucket> buckets)
    {
        Float32 = new float[float32Count];
        Buckets = buckets;
    }

    /// <summary>Every float32 gradient, one after the other in variable order.</summary>
    public float[] Float32 { get; }

    /// <summary>
    /// The all-reduce buckets planned at build time: contiguous ranges of the flat buffer, in the order the
    /// backward pass completes them (the last layer's gradients first).
    /// </summary>
    public IReadOnlyList<GradientBucket> Buckets { get; }

    /// <summary>The loss of the last <c>ComputeGradients</c> that wrote this set (summed when it accumulated).</summary>
    public float Loss { get; set; }

    public int Count => _ordered.Count;

    public Gradient this[int index] => _ordered[index];

    /// <summary>The gradient of the variable with this full name; throws naming the known ones otherwise.</summary>
    public Gradient this[string name] =>
        _byName.TryGetValue(name, out var g)
            ? g
            : throw new KeyNotFoundException($"the gradient set has no gradient of a variable named '{name}'; it has: {string.Join(", ", _byName.Keys)}");

    /// <summary>Registers a gradient; generated constructors call this once per trainable variable.</summary>
    protected void Register(Gradient gradient)
    {
        _byName.Add(gradient.Name, gradient);
        _ordered.Add(gradient);
    }

    /// <summary>Sets every gradient (and the loss) to zero, to start accumulating.</summary>
    public void Clear()
    {
        Array.Clear(Float32);
        Loss = 0;
    }

    /// <summary>Adds <paramref name="other"/>'s gradients and loss to these (a set of the same model).</summary>
    public void Accumulate(GradientSet other)
    {
        CheckSameLayout(other);
        TensorPrimitives.Add(Float32, other.Float32, Float32);
        Loss += other.Loss;
    }

    /// <summary>Copies <paramref name="other"/>'s gradients and loss into this set.</summary>
    public void CopyFrom(GradientSet other)
    {
        CheckSameLayout(other);
        other.Float32.CopyTo(Float32, 0);
        Loss = other.Loss;
    }

    /// <summary>Multiplies every gradient (and the loss) by <paramref name="factor"/>, e.g. 1/micro-batches.</summary>
    public void Scale(float factor)
    {
        TensorPrimitives.Multiply(Float32, factor, Float32);
        Loss *= factor;
    }

    /// <summary>The global norm ‖g‖₂ over all gradients (<c>tf.linalg.global_norm</c>), summed in double.</summary>
    public double GlobalNorm()
    {
        double sum = 0;
        foreach (var x in Float32) sum += (double)x * x;
        return Math.Sqrt(sum);
    }

    /// <summary><c>tf.clip_by_global_norm</c>: scales every gradient by clip / max(‖g‖, clip). Returns the norm before clipping.</summary>
    public double ClipByGlobalNorm(float clip)
    {
        double norm = GlobalNorm();
        if (norm > clip) TensorPrimitives.Multiply(Float32, (float)(clip / norm), Float32);
        return norm;
    }

    /// <summary>Writes one gradient at <paramref name="offset"/> of the flat buffer, adding it to what is there when <paramref name="accumulate"/>.</summary>
    public void Store(int offset, ReadOnlySpan<float> values, bool accumulate)
    {
        var target = Float32.AsSpan(offset, values.Length);
        if (accumulate) TensorPrimitives.Add(target, values, target);
        else values.CopyTo(target);
    }

    /// <summary>
    /// The float32 values of the gradient at <paramref name="index"/>, which must hold <paramref name="count"/>
    /// elements: a set made for a model built with other hyperparameters does not, and is refused.
    /// </summary>
    public Span<float> Float32Of(int index, int count) => Float32.AsSpan(Sized(index, count).Offset, count);

    /// <summary>As <see cref="Store"/>, for the gradient at <paramref name="index"/>, checked as <see cref="Float32Of"/>.</summary>
    public void StoreGradient(int index, ReadOnlySpan<float> values, bool accumulate) => Store(Sized(index, values.Length).Offset, values, accumulate);

    private Gradient Sized(int index, int count)
    {
        var g = _ordered[index];
        if (g.ElementCount != count)
            throw new ArgumentException($"the gradient set was made for a model with other hyperparameters: the gradient of '{g.Name}' holds {g.ElementCount} values, the model's has {count}", "gradients");
        return g;
    }

    private void CheckSameLayout(GradientSet other)
    {
        if (other.GetType() != GetType() || other.Float32.Length != Float32.Length)
            throw new ArgumentException($"gradient sets of different models: {GetType().Name} ({Float32.Length} floats) and {other.GetType().Name} ({other.Float32.Length} floats)", nameof(other));
    }

    public IEnumerator<Gradient> GetEnumerator() => _ordered.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>One gradient of a <see cref="GradientSet"/>: a variable-shaped view into the set's flat buffer.</summary>
public abstract class Gradient
{
    protected Gradient(string name, int[] shape, DType dtype, int offset)
    {
        Name = name;
        Shape = shape;
        DType = dtype;
        Offset = offset;
        ElementCount = Kernels.TensorShapes.ElementCount(shape, nameof(shape));
    }

    /// <summary>The full name of the variable this is the gradient of (<c>two_layers/h1/weights</c>).</summary>
    public string Name { get; }

    public IReadOnlyList<int> Shape { get; }

    public DType DType { get; }

    /// <summary>Where the gradient starts in its dtype's flat buffer.</summary>
    public int Offset { get; }

    public int ElementCount { get; }

    /// <summary>‖g‖₂ of this gradient, summed in double.</summary>
    public abstract double Norm();

    /// <summary>The values widened to double, in C order.</summary>
    public abstract double[] ToDoubleArray();
}

/// <summary>A gradient with elements of type <typeparamref name="T"/>.</summary>
public sealed class Gradient<T> : Gradient where T : unmanaged
{
    private readonly T[] _buffer;

    public Gradient(string name, int[] shape, T[] buffer, int offset)
        : base(name, shape, DTypeOf.Get<T>(), offset)
    {
        _buffer = buffer;
    }

    /// <summary>The gradient's values in the set's buffer: reading, clipping or editing them changes what <c>ApplyGradients</c> applies.</summary>
    public Span<T> Values => _buffer.AsSpan(Offset, ElementCount);

    public override double Norm()
    {
        double sum = 0;
        foreach (var x in ToDoubleArray()) sum += x * x;
        return Math.Sqrt(sum);
    }

    public override double[] ToDoubleArray()
    {
        var result = new double[ElementCount];
        var values = Values;
        for (int i = 0; i < result.Length; i++) result[i] = Convert.ToDouble(values[i], System.Globalization.CultureInfo.InvariantCulture);
        return result;
    }

    public override string ToString() => ArrayFormat.Format((ReadOnlySpan<T>)Values, Shape);
}

/// <summary>
/// One all-reduce bucket: <see cref="Count"/> elements of the <see cref="DType"/> buffer from
/// <see cref="Offset"/>, holding the gradients of <see cref="Variables"/>.
/// </summary>
public sealed record GradientBucket(DType DType, int Offset, int Count, IReadOnlyList<string> Variables);
