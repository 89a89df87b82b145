namespace GraphCompiler;

/// <summary>
/// How a variable gets its initial value in the generated constructor. Random initializers draw from
/// a counter-based generator keyed by the model's seed and an op seed: the one given, or one derived
/// from the variable's creation order, so that a model is reproducible from its seed alone.
/// </summary>
public sealed class Initializer
{
    private Initializer() { }

    internal static Initializer Described(string member) => throw BuildTime.Only(member);
}

/// <summary>The initializers for <see cref="Ops.Variable"/> (TensorFlow's <c>tf.*_initializer</c>).</summary>
public static class Init
{
    /// <summary>Every element is <paramref name="value"/>.</summary>
    public static Initializer Constant(float value) => Initializer.Described("Init.Constant");

    /// <summary>The elements in C order; the count must equal the variable's element count.</summary>
    public static Initializer Constant(float[] values) => Initializer.Described("Init.Constant");

    /// <summary>Every element is 0.</summary>
    public static Initializer Zeros() => Initializer.Described("Init.Zeros");

    /// <summary>Every element is 1.</summary>
    public static Initializer Ones() => Initializer.Described("Init.Ones");

    /// <summary>Normal samples 𝒩(<paramref name="mean"/>, <paramref name="stddev"/>²).</summary>
    public static Initializer RandomNormal(float mean = 0f, float stddev = 1f, int? seed = null) => Initializer.Described("Init.RandomNormal");

    /// <summary>Uniform samples in [<paramref name="minval"/>, <paramref name="maxval"/>).</summary>
    public static Initializer RandomUniform(float minval = 0f, float maxval = 1f, int? seed = null) => Initializer.Described("Init.RandomUniform");

    /// <summary>Normal samples, redrawn when more than two standard deviations from the mean.</summary>
    public static Initializer TruncatedNormal(float mean = 0f, float stddev = 1f, int? seed = null) => Initializer.Described("Init.TruncatedNormal");

    /// <summary>Glorot/Xavier uniform: U(−l, l) with l = √(6 / (fan_in + fan_out)).</summary>
    public static Initializer GlorotUniform(int? seed = null) => Initializer.Described("Init.GlorotUniform");
}
