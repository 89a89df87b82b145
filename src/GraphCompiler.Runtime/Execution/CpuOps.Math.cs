using System.Numerics;
using GraphCompiler.Compiler.Ops;
using GraphCompiler.Compiler.Random;

namespace GraphCompiler.Runtime.Execution;

/// <summary>
/// The math family's runtime support: scalar special functions that fused kernels call (computed in
/// double by the compiler's <see cref="SpecialFunctions"/>, the reference's own code, then rounded
/// once), reductions by max/min/product, argmax/argmin and dropout.
/// </summary>
public static partial class CpuOps
{
    /// <summary>ln(1 + x), accurate for tiny x.</summary>
    public static float Log1p(float x)
    {
        // The same cancellation-free form as SpecialFunctions.Log1p, in float: ln(u)·x/(u − 1) with
        // u = 1 + x corrects the rounding of u, so float precision holds without a double log
        // (a hot spot of sampled losses, which take a log1p per logit).
        float u = 1 + x;
        if (u == 1) return x;
        if (float.IsInfinity(u) || u <= 0) return MathF.Log(u);
        return MathF.Log(u) * x / (u - 1);
    }

    /// <inheritdoc cref="Log1p(float)"/>
    public static double Log1p(double x) => SpecialFunctions.Log1p(x);

    /// <summary>
    /// <see cref="Log1p(float)"/> lane by lane, for fused kernels' SIMD loops: the same correction
    /// ln(u)·x/(u − 1) with u = 1 + x, x itself where u rounds to 1, ln(u) where u is not positive or infinite.
    /// </summary>
    public static Vector<float> Log1p(Vector<float> x)
    {
        var u = Vector<float>.One + x;
        var log = Vector.Log(u);
        var corrected = Vector.ConditionalSelect(Vector.LessThanOrEqual(u, Vector<float>.Zero) | Vector.Equals(u, new Vector<float>(float.PositiveInfinity)), log, log * x / (u - Vector<float>.One));
        return Vector.ConditionalSelect(Vector.Equals(u, Vector<float>.One), x, corrected);
    }

    /// <inheritdoc cref="Log1p(Vector{float})"/>
    public static Vector<double> Log1p(Vector<double> x)
    {
        var u = Vector<double>.One + x;
        var log = Vector.Log(u);
        var corrected = Vector.ConditionalSelect(Vector.LessThanOrEqual(u, Vector<double>.Zero) | Vector.Equals(u, new Vector<double>(double.PositiveInfinity)), log, log * x / (u - Vector<double>.One));
        return Vector.ConditionalSelect(Vector.Equals(u, Vector<double>.One), x, corrected);
    }

    /// <summary>The logistic function lane by lane, through e^(−|x|) (never overflows), for fused kernels' SIMD loops.</summary>
    public static Vector<float> Sigmoid(Vector<float> x)
    {
        var e = Vector.Exp(-Vector.Abs(x));
        var p = Vector<float>.One / (Vector<float>.One + e);
        return Vector.ConditionalSelect(Vector.GreaterThanOrEqual(x, Vector<float>.Zero), p, e * p);
    }

    /// <inheritdoc cref="Sigmoid(Vector{float})"/>
    public static Vector<double> Sigmoid(Vector<double> x)
    {
        var e = Vector.Exp(-Vector.Abs(x));
        var p = Vector<double>.One / (Vector<double>.One + e);
        return Vector.ConditionalSelect(Vector.GreaterThanOrEqual(x, Vector<double>.Zero), p, e * p);
    }

    /// <summary>ln(1 + eˣ) as max(x, 0) + ln(1 + e^(−|x|)): never overflows; NaN for NaN.</summary>
    public static float Softplus(float x) => float.IsNaN(x) ? x : MathF.Max(x, 0) + Log1p(MathF.Exp(-MathF.Abs(x)));

    /// <inheritdoc cref="Softplus(float)"/>
    public static double Softplus(double x) => SpecialFunctions.Softplus(x);

    /// <summary><see cref="Softplus(float)"/> lane by lane, for fused kernels' SIMD loops (NaN lanes stay NaN).</summary>
    public static Vector<float> Softplus(Vector<float> x)
    {
        var y = Vector.Max(x, Vector<float>.Zero) + Log1p(Vector.Exp(-Vector.Abs(x)));
        return Vector.ConditionalSelect(Vector.Equals(x, x), y, x);
    }

    /// <inheritdoc cref="Softplus(Vector{float})"/>
    public static Vector<double> Softplus(Vector<double> x)
    {
        var y = Vector.Max(x, Vector<double>.Zero) + Log1p(Vector.Exp(-Vector.Abs(x)));
        return Vector.ConditionalSelect(Vector.Equals(x, x), y, x);
    }

    /// <summary>The error function.</summary>
    public static float Erf(float x) => (float)SpecialFunctions.Erf(x);

    /// <inheritdoc cref="Erf(float)"/>
    public static double Erf(double x) => SpecialFunctions.Erf(x);

    /// <summary>The logistic function 1/(1 + e^(−x)), without overflow.</summary>
    public static float Sigmoid(float x)
    {
        if (x >= 0) return 1 / (1 + MathF.Exp(-x));
        float e = MathF.Exp(x);
        return e / (1 + e);
    }

    /// <inheritdoc cref="Sigmoid(float)"/>
    public static double Sigmoid(double x) => SpecialFunctions.Sigmoid(x);

    /// <summary>y = max of x over <paramref name="axes"/> (sorted); −∞ (or the type's minimum) for an empty axis; NaN propagates.</summary>
    public static void ReduceMax<T>(ReadOnlySpan<T> x, ReadOnlySpan<int> shape, ReadOnlySpan<int> axes, Span<T> y)
        where T : unmanaged, INumber<T> =>
        Fold<T, MaxFold<T>>(x, shape, axes, y);

    /// <summary>y = min of x over <paramref name="axes"/> (sorted); +∞ (or the type's maximum) for an empty axis; NaN propagates.</summary>
    public static void ReduceMin<T>(ReadOnlySpan<T> x, ReadOnlySpan<int> shape, ReadOnlySpan<int> axes, Span<T> y)
        where T : unmanaged, INumber<T> =>
        Fold<T, MinFold<T>>(x, shape, axes, y);

    /// <summary>y = Π x over <paramref name="axes"/> (sorted); 1 for an empty axis.</summary>
    public static void ReduceProd<T>(ReadOnlySpan<T> x, ReadOnlySpan<int> shape, ReadOnlySpan<int> axes, Span<T> y)
        where T : unmanaged, INumber<T> =>
        Fold<T, ProdFold<T>>(x, shape, axes, y);

    /// <summary>y = the int64 index of the first largest x along <paramref name="axis"/> (NaN counts as largest).</summary>
    public static void ArgMax<T>(ReadOnlySpan<T> x, ReadOnlySpan<int> shape, int axis, Span<long> y)
        where T : unmanaged, INumber<T> => Arg(x, shape, axis, y, largest: true);

    /// <summary>y = the int64 index of the first smallest x along <paramref name="axis"/> (NaN counts as smallest).</summary>
    public static void ArgMin<T>(ReadOnlySpan<T> x, ReadOnlySpan<int> shape, int axis, Span<long> y)
        where T : unmanaged, INumber<T> => Arg(x, shape, axis, y, largest: false);

    /// <summary>
    /// Training-time inverted dropout: y = x / keep where value i of the Philox stream of (graph seed,
    /// op seed, step) as a unit float is below (float)keep, else 0 — the same draw as the reference
    /// evaluation of the <c>dropout</c> op, so the two agree bit for bit.
    /// </summary>
    public static void Dropout<T>(ReadOnlySpan<T> x, Span<T> y, double keep, ulong graphSeed, ulong opSeed, ulong step)
        where T : unmanaged, INumber<T>
    {
        if (!(keep > 0 && keep <= 1)) throw new ArgumentOutOfRangeException(nameof(keep), keep, "Dropout keep probability must be in (0, 1].");
        var (k0, k1) = PhiloxKey.Derive(graphSeed, opSeed, 0);
        float threshold = (float)keep;
        T scale = T.CreateChecked(1 / keep);
        int n = x.Length;
        for (int start = 0; start < n; start += 4)
        {
            var block = PhiloxKey.Block((ulong)start >> 2, step, k0, k1);
            int end = Math.Min(start + 4, n);
            for (int i = start; i < end; i++)
                y[i] = PhiloxKey.ToUnit(block[i - start]) < threshold ? x[i] * scale : T.Zero;
        }
    }

    private interface IFold<T>
    {
        static abstract T Identity { get; }

        static abstract T Apply(T acc, T x);
    }

    private readonly struct MaxFold<T> : IFold<T> where T : INumber<T>
    {
        public static T Identity => T.CreateSaturating(double.NegativeInfinity);

        public static T Apply(T acc, T x) => T.Max(acc, x);
    }

    private readonly struct MinFold<T> : IFold<T> where T : INumber<T>
    {
        public static T Identity => T.CreateSaturating(double.PositiveInfinity);

        public static T Apply(T acc, T x) => T.Min(acc, x);
    }

    private readonly struct ProdFold<T> : IFold<T> where T : INumber<T>
    {
        public static T Identity => T.One;

        public static T Apply(T acc, T x) => acc * x;
    }

    /// <summary>
    /// Folds x into y over the given axes. Float32 reductions over one run of adjacent axes use the
    /// SIMD kernels of <see cref="Kernels.Reduce"/>; everything else walks x once in C order.
    /// </summary>
    private static void Fold<T, TFold>(ReadOnlySpan<T> x, ReadOnlySpan<int> shape, ReadOnlySpan<int> axes, Span<T> y)
        where T : unmanaged, INumber<T>
        where TFold : struct, IFold<T>
    {
        int rank = shape.Length;
        if (typeof(T) == typeof(float) && axes.Length > 0 && axes[axes.Length - 1] - axes[0] == axes.Length - 1)
        {
            int outer = 1, axis = 1, inner = 1;
            for (int i = 0; i < axes[0]; i++) outer *= shape[i];
            for (int i = axes[0]; i <= axes[axes.Length - 1]; i++) axis *= shape[i];
            for (int i = axes[axes.Length - 1] + 1; i < rank; i++) inner *= shape[i];
            var xf = System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(x);
            var yf = System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(y);
            if (typeof(TFold) == typeof(MaxFold<T>)) { Kernels.Reduce.Max(xf, yf, outer, axis, inner); return; }
            if (typeof(TFold) == typeof(MinFold<T>)) { Kernels.Reduce.Min(xf, yf, outer, axis, inner); return; }
            if (typeof(TFold) == typeof(ProdFold<T>)) { Kernels.Reduce.Prod(xf, yf, outer, axis, inner); return; }
        }
        Span<int> yStride = stackalloc int[Math.Max(rank, 1)];
        int stride = 1, yCount = 1;
        for (int ax = rank - 1; ax >= 0; ax--)
        {
            bool reduced = axes.Contains(ax);
            yStride[ax] = reduced ? 0 : stride;
            if (!reduced)
            {
                stride *= shape[ax];
                yCount *= shape[ax];
            }
        }
        y.Slice(0, yCount).Fill(TFold.Identity);
        Span<int> coord = stackalloc int[Math.Max(rank, 1)];
        coord.Clear();
        int yi = 0;
        for (int i = 0; i < x.Length; i++)
        {
            y[yi] = TFold.Apply(y[yi], x[i]);
            for (int ax = rank - 1; ax >= 0; ax--)
            {
                coord[ax]++;
                yi += yStride[ax];
                if (coord[ax] < shape[ax]) break;
                yi -= yStride[ax] * coord[ax];
                coord[ax] = 0;
            }
        }
    }

    private static void Arg<T>(ReadOnlySpan<T> x, ReadOnlySpan<int> shape, int axis, Span<long> y, bool largest)
        where T : unmanaged, INumber<T>
    {
        int outer = 1, inner = 1, n = shape[axis];
        for (int i = 0; i < axis; i++) outer *= shape[i];
        for (int i = axis + 1; i < shape.Length; i++) inner *= shape[i];
        if (n == 0) throw new ArgumentException($"argmax/argmin over an empty axis {axis} of shape {Kernels.TensorShapes.Format(shape)}");
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < inner; j++)
            {
                int best = 0;
                T bestValue = x[o * n * inner + j];
                for (int a = 1; a < n && !T.IsNaN(bestValue); a++)
                {
                    T v = x[(o * n + a) * inner + j];
                    if (T.IsNaN(v) || (largest ? v > bestValue : v < bestValue))
                    {
                        best = a;
                        bestValue = v;
                    }
                }
                y[o * inner + j] = best;
            }
    }
}
