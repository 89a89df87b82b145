using GraphCompiler.Runtime.Rng;

namespace GraphCompiler.Runtime.Initializers;

/// <summary>
/// Variable initialisers, as the generated constructors call them: each fills <c>data</c>, the C-order
/// storage of a variable of shape <c>shape</c>. The random ones draw from the
/// <see cref="PhiloxStream"/> of (graph seed, op seed) at step 0, so a model built with the same seed
/// starts from bit-identical weights on every run and machine path. Defaults follow TensorFlow 1.x's
/// initializers (normal and truncated normal: mean 0, stddev 1; uniform: [0, 1)).
/// </summary>
public static class InitializerKernels
{
    /// <summary>Every element = <paramref name="value"/> (<c>tf.constant_initializer(value)</c>).</summary>
    public static void Constant(Span<float> data, ReadOnlySpan<int> shape, float value)
    {
        CheckShape(data, shape);
        data.Fill(value);
    }

    /// <summary>
    /// From explicit values: one value is broadcast to every element, otherwise there must be exactly one
    /// value per element (in C order).
    /// </summary>
    public static void Constant(Span<float> data, ReadOnlySpan<int> shape, ReadOnlySpan<float> values)
    {
        CheckShape(data, shape);
        if (values.Length == 1) data.Fill(values[0]);
        else if (values.Length == data.Length) values.CopyTo(data);
        else
            throw new ArgumentException(
                $"Constant initializer has {values.Length} values for shape {Format(shape)} ({data.Length} elements); " +
                "give one value to broadcast or exactly one per element.", nameof(values));
    }

    /// <summary>Every element = 0.</summary>
    public static void Zeros(Span<float> data, ReadOnlySpan<int> shape) => Constant(data, shape, 0f);

    /// <summary>Every element = 1.</summary>
    public static void Ones(Span<float> data, ReadOnlySpan<int> shape) => Constant(data, shape, 1f);

    /// <summary>Normal values (<c>tf.random_normal_initializer</c>).</summary>
    public static void RandomNormal(Span<float> data, ReadOnlySpan<int> shape, ulong graphSeed, ulong opSeed,
        float mean = 0f, float std = 1f)
    {
        CheckShape(data, shape);
        new PhiloxStream(graphSeed, opSeed).FillNormal(data, mean, std);
    }

    /// <summary>Uniform values in [min, max) (<c>tf.random_uniform_initializer</c>).</summary>
    public static void RandomUniform(Span<float> data, ReadOnlySpan<int> shape, ulong graphSeed, ulong opSeed,
        float min = 0f, float max = 1f)
    {
        CheckShape(data, shape);
        new PhiloxStream(graphSeed, opSeed).FillUniform(data, min, max);
    }

    /// <summary>
    /// Normal values redrawn while more than two standard deviations from the mean
    /// (<c>tf.truncated_normal_initializer</c>); every value lies in (mean − 2·std, mean + 2·std).
    /// </summary>
    public static void TruncatedNormal(Span<float> data, ReadOnlySpan<int> shape, ulong graphSeed, ulong opSeed,
        float mean = 0f, float std = 1f)
    {
        CheckShape(data, shape);
        new PhiloxStream(graphSeed, opSeed).FillTruncatedNormal(data, mean, std);
    }

    /// <summary>
    /// Glorot/Xavier uniform (<c>tf.glorot_uniform_initializer</c>): uniform in [−limit, limit) with
    /// limit = √(6 / (fan_in + fan_out)); see <see cref="ComputeFans"/>.
    /// </summary>
    public static void GlorotUniform(Span<float> data, ReadOnlySpan<int> shape, ulong graphSeed, ulong opSeed)
    {
        CheckShape(data, shape);
        float limit = GlorotUniformLimit(shape);
        new PhiloxStream(graphSeed, opSeed).FillUniform(data, -limit, limit);
    }

    /// <summary>
    /// Glorot/Xavier normal (<c>tf.glorot_normal_initializer</c>): truncated normal with stddev
    /// √(2 / (fan_in + fan_out)) / 0.87962566103423978, the divisor undoing the truncation's shrinkage.
    /// </summary>
    public static void GlorotNormal(Span<float> data, ReadOnlySpan<int> shape, ulong graphSeed, ulong opSeed)
    {
        CheckShape(data, shape);
        var (fanIn, fanOut) = ComputeFans(shape);
        double std = Math.Sqrt(1.0 / Math.Max(1.0, (fanIn + fanOut) / 2.0)) / 0.87962566103423978;
        new PhiloxStream(graphSeed, opSeed).FillTruncatedNormal(data, 0f, (float)std);
    }

    /// <summary>√(6 / (fan_in + fan_out)), with TensorFlow's floor of 1 on the averaged fan.</summary>
    public static float GlorotUniformLimit(ReadOnlySpan<int> shape)
    {
        var (fanIn, fanOut) = ComputeFans(shape);
        // TF's variance_scaling: scale 1 / max(1, (fan_in + fan_out) / 2), limit = sqrt(3 * scale).
        return (float)Math.Sqrt(3.0 / Math.Max(1.0, (fanIn + fanOut) / 2.0));
    }

    /// <summary>
    /// TensorFlow's fan computation: scalar → (1, 1); rank 1 → (n, n); rank 2 → (rows, cols); higher rank
    /// (convolution kernels [..spatial, in, out]) → (in·receptive, out·receptive), receptive being the
    /// product of the leading spatial dims.
    /// </summary>
    public static (long FanIn, long FanOut) ComputeFans(ReadOnlySpan<int> shape)
    {
        switch (shape.Length)
        {
            case 0: return (1, 1);
            case 1: return (shape[0], shape[0]);
            case 2: return (shape[0], shape[1]);
            default:
                long receptive = 1;
                for (int i = 0; i < shape.Length - 2; i++) receptive *= shape[i];
                return (shape[^2] * receptive, shape[^1] * receptive);
        }
    }

    private static void CheckShape(Span<float> data, ReadOnlySpan<int> shape)
    {
        long count = 1;
        for (int i = 0; i < shape.Length; i++)
        {
            if (shape[i] < 0) throw new ArgumentException($"Initializer shape {Format(shape)} has a negative dimension at index {i}.", nameof(shape));
            count *= shape[i];
            if (count > int.MaxValue) throw new ArgumentException($"Initializer shape {Format(shape)} has more than {int.MaxValue} elements.", nameof(shape));
        }

        if (count != data.Length)
            throw new ArgumentException($"Initializer shape {Format(shape)} has {count} elements but the data has {data.Length}.", nameof(data));
    }

    private static string Format(ReadOnlySpan<int> shape) => "[" + string.Join(", ", shape.ToArray()) + "]";
}
