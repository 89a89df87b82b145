using System.Runtime.Intrinsics;

namespace GraphCompiler.Runtime.Kernels;

/// <summary>An associative float reduction with its identity, in scalar and 256-bit vector form.</summary>
internal interface IReduceOp
{
    static abstract float Identity { get; }

    static abstract float Apply(float a, float b);

    static abstract Vector256<float> Apply(Vector256<float> a, Vector256<float> b);
}

internal readonly struct SumOp : IReduceOp
{
    public static float Identity => 0f;

    public static float Apply(float a, float b) => a + b;

    public static Vector256<float> Apply(Vector256<float> a, Vector256<float> b) => a + b;
}

internal readonly struct ProdOp : IReduceOp
{
    public static float Identity => 1f;

    public static float Apply(float a, float b) => a * b;

    public static Vector256<float> Apply(Vector256<float> a, Vector256<float> b) => a * b;
}

/// <summary>Maximum that propagates NaN (as NumPy and TensorFlow do); <see cref="Vector256.Max{T}"/> agrees.</summary>
internal readonly struct MaxOp : IReduceOp
{
    public static float Identity => float.NegativeInfinity;

    public static float Apply(float a, float b) => MathF.Max(a, b);

    public static Vector256<float> Apply(Vector256<float> a, Vector256<float> b) => Vector256.Max(a, b);
}

/// <summary>Minimum that propagates NaN; see <see cref="MaxOp"/>.</summary>
internal readonly struct MinOp : IReduceOp
{
    public static float Identity => float.PositiveInfinity;

    public static float Apply(float a, float b) => MathF.Min(a, b);

    public static Vector256<float> Apply(Vector256<float> a, Vector256<float> b) => Vector256.Min(a, b);
}
