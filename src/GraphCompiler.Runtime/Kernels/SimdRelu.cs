using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace GraphCompiler.Runtime.Kernels;

/// <summary>
/// Relu on SIMD registers for the GEMM epilogues: x &gt; 0 ? x : 0 per lane. Built from a compare and a mask
/// rather than max, because the max instructions' NaN rule depends on operand order (and Vector.Max
/// propagates NaN), while the relu op maps NaN to 0: the compare is false for NaN, so the lane is cleared.
/// </summary>
internal static class SimdRelu
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Apply(Vector512<float> x) =>
        x & Vector512.GreaterThan(x, Vector512<float>.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Apply(Vector256<float> x) =>
        x & Vector256.GreaterThan(x, Vector256<float>.Zero);

    /// <summary>Relu in place on <paramref name="count"/> values, widest vectors first, then one value at a time.</summary>
    public static unsafe void ApplyInPlace(float* x, int count)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; i + 16 <= count; i += 16) Vector512.Store(Apply(Vector512.Load(x + i)), x + i);
        if (Vector256.IsHardwareAccelerated)
            for (; i + 8 <= count; i += 8) Vector256.Store(Apply(Vector256.Load(x + i)), x + i);
        for (; i < count; i++) x[i] = x[i] > 0f ? x[i] : 0f;
    }
}
