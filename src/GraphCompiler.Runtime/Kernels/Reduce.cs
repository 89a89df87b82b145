using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace GraphCompiler.Runtime.Kernels;

/// <summary>
/// Reductions of <c>x</c> viewed as <c>[outer, axis, inner]</c> (row-major) to <c>y</c> of shape
/// <c>[outer, inner]</c>: <c>y[o, i] = ⊕_a x[o, a, i]</c>. Any reduction over one axis, or over a run of
/// adjacent axes, of a C-order tensor is of this form.
/// </summary>
/// <remarks>
/// <para>Vectorised along <c>inner</c> (whole rows combined at once), or along <c>axis</c> when
/// <c>inner == 1</c>. Single-threaded: these loops are memory-bound and one core already draws most of
/// the bandwidth two cores have.</para>
/// <para>Float sums are accurate beyond naive accumulation: values are summed in float within blocks
/// of at most <see cref="SumBlock"/> (each SIMD lane then holds a few hundred terms at most) and the block
/// sums are combined in double, so even 10⁶ terms stay within about 1e-7 relative of the exact sum.
/// The order is fixed, so results are deterministic for a given machine path.</para>
/// <para>Empty axes give TensorFlow's identities: sum 0, product 1, max −∞, min +∞, mean NaN.
/// Max and min propagate NaN. Gradients: sum → broadcast dy; mean → dy / axis; max/min → dy routed to
/// the arg positions.</para>
/// </remarks>
public static class Reduce
{
    /// <summary>Terms summed in float before a block's total is folded into a double accumulator.</summary>
    internal const int SumBlock = 2048;

    /// <summary>Rows of the reduced axis added in float per block when <c>inner &gt; 1</c>.</summary>
    private const int SumRowBlock = 64;

    /// <summary>Columns handled per strip when <c>inner &gt; 1</c> (bounded so scratch fits on the stack).</summary>
    private const int Strip = 512;

    /// <summary>y[o, i] = Σ_a x[o, a, i].</summary>
    public static void Sum(ReadOnlySpan<float> x, Span<float> y, int outer, int axis, int inner)
    {
        Check(x.Length, y.Length, outer, axis, inner);
        bool simd = UseSimd();
        if (inner == 1)
        {
            for (int o = 0; o < outer; o++) y[o] = (float)SumContiguous(x.Slice(o * axis, axis), simd);
            return;
        }

        Span<double> acc = stackalloc double[Strip];
        Span<float> partial = stackalloc float[Strip];
        for (int o = 0; o < outer; o++)
        {
            var xo = x.Slice(o * axis * inner, axis * inner);
            for (int i0 = 0; i0 < inner; i0 += Strip)
            {
                int w = Math.Min(Strip, inner - i0);
                var accW = acc[..w];
                var partW = partial[..w];
                accW.Clear();
                for (int a0 = 0; a0 < axis; a0 += SumRowBlock)
                {
                    int rows = Math.Min(SumRowBlock, axis - a0);
                    xo.Slice(a0 * inner + i0, w).CopyTo(partW);
                    for (int a = a0 + 1; a < a0 + rows; a++)
                        Combine<SumOp>(partW, xo.Slice(a * inner + i0, w), simd);
                    for (int j = 0; j < w; j++) accW[j] += partW[j];
                }

                var yo = y.Slice(o * inner + i0, w);
                for (int j = 0; j < w; j++) yo[j] = (float)accW[j];
            }
        }
    }

    /// <summary>y[o, i] = Σ_a x[o, a, i] in double precision.</summary>
    public static void Sum(ReadOnlySpan<double> x, Span<double> y, int outer, int axis, int inner)
    {
        Check(x.Length, y.Length, outer, axis, inner);
        if (inner == 1)
        {
            for (int o = 0; o < outer; o++) y[o] = TensorPrimitives.Sum(x.Slice(o * axis, axis));
            return;
        }

        for (int o = 0; o < outer; o++)
        {
            var yo = y.Slice(o * inner, inner);
            yo.Clear();
            for (int a = 0; a < axis; a++) TensorPrimitives.Add(yo, x.Slice((o * axis + a) * inner, inner), yo);
        }
    }

    /// <summary>y[o, i] = (1/axis) Σ_a x[o, a, i]; NaN for an empty axis.</summary>
    public static void Mean(ReadOnlySpan<float> x, Span<float> y, int outer, int axis, int inner)
    {
        Sum(x, y, outer, axis, inner);
        var result = y[..(outer * inner)];
        if (axis == 0) result.Fill(float.NaN);
        else TensorPrimitives.Multiply(result, 1f / axis, result);
    }

    /// <summary>y[o, i] = (1/axis) Σ_a x[o, a, i] in double precision; NaN for an empty axis.</summary>
    public static void Mean(ReadOnlySpan<double> x, Span<double> y, int outer, int axis, int inner)
    {
        Sum(x, y, outer, axis, inner);
        var result = y[..(outer * inner)];
        if (axis == 0) result.Fill(double.NaN);
        else TensorPrimitives.Divide(result, (double)axis, result);
    }

    /// <summary>y[o, i] = max_a x[o, a, i]; −∞ for an empty axis; NaN if any term is NaN.</summary>
    public static void Max(ReadOnlySpan<float> x, Span<float> y, int outer, int axis, int inner) =>
        Fold<MaxOp>(x, y, outer, axis, inner);

    /// <summary>y[o, i] = min_a x[o, a, i]; +∞ for an empty axis; NaN if any term is NaN.</summary>
    public static void Min(ReadOnlySpan<float> x, Span<float> y, int outer, int axis, int inner) =>
        Fold<MinOp>(x, y, outer, axis, inner);

    /// <summary>y[o, i] = Π_a x[o, a, i]; 1 for an empty axis.</summary>
    public static void Prod(ReadOnlySpan<float> x, Span<float> y, int outer, int axis, int inner) =>
        Fold<ProdOp>(x, y, outer, axis, inner);

    /// <summary>
    /// y[o, i] = the first a at which x[o, a, i] is largest. NaN counts as largest (the first NaN wins),
    /// as in NumPy. The axis must not be empty.
    /// </summary>
    public static void ArgMax(ReadOnlySpan<float> x, Span<int> y, int outer, int axis, int inner) =>
        Arg(x, y, outer, axis, inner, largest: true);

    /// <summary>y[o, i] = the first a at which x[o, a, i] is smallest; NaN counts as smallest (first NaN wins).</summary>
    public static void ArgMin(ReadOnlySpan<float> x, Span<int> y, int outer, int axis, int inner) =>
        Arg(x, y, outer, axis, inner, largest: false);

    internal static bool UseSimd() => KernelIsaSelector.Current != KernelIsa.Scalar && Vector256.IsHardwareAccelerated;

    /// <summary>Sum of a contiguous run: float blocks of <see cref="SumBlock"/>, block totals in double.</summary>
    internal static double SumContiguous(ReadOnlySpan<float> x, bool simd)
    {
        double total = 0;
        if (x.Length < 16)
        {
            // Rows shorter than a vector (a handful of sampled logits): the blocked fold's set-up costs more than the sum.
            foreach (float v in x) total += v;
            return total;
        }
        for (int start = 0; start < x.Length; start += SumBlock)
        {
            var block = x.Slice(start, Math.Min(SumBlock, x.Length - start));
            total += simd ? FoldVector<SumOp>(block) : FoldScalar<SumOp>(block);
        }

        return total;
    }

    private static void Fold<TOp>(ReadOnlySpan<float> x, Span<float> y, int outer, int axis, int inner)
        where TOp : struct, IReduceOp
    {
        Check(x.Length, y.Length, outer, axis, inner);
        bool simd = UseSimd();
        if (inner == 1)
        {
            for (int o = 0; o < outer; o++)
            {
                var row = x.Slice(o * axis, axis);
                y[o] = simd ? FoldVector<TOp>(row) : FoldScalar<TOp>(row);
            }

            return;
        }

        for (int o = 0; o < outer; o++)
        {
            var yo = y.Slice(o * inner, inner);
            if (axis == 0)
            {
                yo.Fill(TOp.Identity);
                continue;
            }

            x.Slice(o * axis * inner, inner).CopyTo(yo);
            for (int a = 1; a < axis; a++) Combine<TOp>(yo, x.Slice((o * axis + a) * inner, inner), simd);
        }
    }

    /// <summary>acc[j] = op(acc[j], row[j]) for every j.</summary>
    private static void Combine<TOp>(Span<float> acc, ReadOnlySpan<float> row, bool simd) where TOp : struct, IReduceOp
    {
        int j = 0;
        if (simd)
        {
            ref float accRef = ref MemoryMarshal.GetReference(acc);
            ref float rowRef = ref MemoryMarshal.GetReference(row);
            for (; j + Vector256<float>.Count <= acc.Length; j += Vector256<float>.Count)
            {
                var v = TOp.Apply(Vector256.LoadUnsafe(ref accRef, (nuint)j), Vector256.LoadUnsafe(ref rowRef, (nuint)j));
                v.StoreUnsafe(ref accRef, (nuint)j);
            }
        }

        for (; j < acc.Length; j++) acc[j] = TOp.Apply(acc[j], row[j]);
    }

    private static float FoldScalar<TOp>(ReadOnlySpan<float> x) where TOp : struct, IReduceOp
    {
        float r = TOp.Identity;
        foreach (float v in x) r = TOp.Apply(r, v);
        return r;
    }

    /// <summary>Folds a run with four independent vector accumulators (hides the add latency).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float FoldVector<TOp>(ReadOnlySpan<float> x) where TOp : struct, IReduceOp
    {
        const int W = 8; // Vector256<float>.Count
        var id = Vector256.Create(TOp.Identity);
        Vector256<float> v0 = id, v1 = id, v2 = id, v3 = id;
        ref float r = ref MemoryMarshal.GetReference(x);
        int i = 0;
        for (; i + 4 * W <= x.Length; i += 4 * W)
        {
            v0 = TOp.Apply(v0, Vector256.LoadUnsafe(ref r, (nuint)i));
            v1 = TOp.Apply(v1, Vector256.LoadUnsafe(ref r, (nuint)(i + W)));
            v2 = TOp.Apply(v2, Vector256.LoadUnsafe(ref r, (nuint)(i + 2 * W)));
            v3 = TOp.Apply(v3, Vector256.LoadUnsafe(ref r, (nuint)(i + 3 * W)));
        }

        for (; i + W <= x.Length; i += W) v0 = TOp.Apply(v0, Vector256.LoadUnsafe(ref r, (nuint)i));
        var v = TOp.Apply(TOp.Apply(v0, v1), TOp.Apply(v2, v3));
        float result = TOp.Identity;
        for (int lane = 0; lane < W; lane++) result = TOp.Apply(result, v.GetElement(lane));
        for (; i < x.Length; i++) result = TOp.Apply(result, x[i]);
        return result;
    }

    private static void Arg(ReadOnlySpan<float> x, Span<int> y, int outer, int axis, int inner, bool largest)
    {
        Check(x.Length, y.Length, outer, axis, inner);
        if (axis == 0 && outer * inner > 0)
            throw new ArgumentException($"Arg{(largest ? "Max" : "Min")} over an empty axis has no answer " +
                $"(x viewed as [{outer}, 0, {inner}]).", nameof(axis));

        float[]? rented = inner > 256 ? ArrayPool<float>.Shared.Rent(inner) : null;
        Span<float> best = rented is null ? stackalloc float[Math.Max(inner, 1)] : rented.AsSpan(0, inner);
        try
        {
            for (int o = 0; o < outer; o++)
            {
                var yo = y.Slice(o * inner, inner);
                var bestW = best[..inner];
                x.Slice(o * axis * inner, inner).CopyTo(bestW);
                yo.Clear();
                for (int a = 1; a < axis; a++)
                {
                    var row = x.Slice((o * axis + a) * inner, inner);
                    for (int i = 0; i < inner; i++)
                    {
                        float v = row[i], b = bestW[i];
                        // NaN wins over numbers; among equals the earlier index stays.
                        bool better = largest ? v > b : v < b;
                        if (better || (float.IsNaN(v) && !float.IsNaN(b)))
                        {
                            bestW[i] = v;
                            yo[i] = a;
                        }
                    }
                }
            }
        }
        finally
        {
            if (rented is not null) ArrayPool<float>.Shared.Return(rented);
        }
    }

    private static void Check(int xLength, int yLength, int outer, int axis, int inner)
    {
        if (outer < 0 || axis < 0 || inner < 0)
            throw new ArgumentOutOfRangeException(nameof(outer),
                $"Reduction extents must be non-negative, got [outer={outer}, axis={axis}, inner={inner}].");
        long xNeed = (long)outer * axis * inner, yNeed = (long)outer * inner;
        if (xLength != xNeed)
            throw new ArgumentException(
                $"Reduction input has {xLength} elements but [outer={outer}, axis={axis}, inner={inner}] needs {xNeed}.", "x");
        if (yLength != yNeed)
            throw new ArgumentException(
                $"Reduction output has {yLength} elements but [outer={outer}, inner={inner}] needs {yNeed}.", "y");
    }
}
