using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace GraphCompiler.Runtime.Kernels;

/// <summary>
/// Dot product, scaled add and prefetch over one short row (an embedding row: 64–300 floats). The
/// gathered-row kernels call these once per id, hundreds of times a step, so the per-call set-up
/// of the general span primitives (alignment peeling, length dispatch) is a real share of the time
/// at these lengths; these are plain fixed-stride loops the JIT inlines.
/// </summary>
internal static class RowVectors
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        int n = a.Length, i = 0;
        if (b.Length < n) throw new ArgumentException("Dot: the second row is shorter than the first.", nameof(b));
        ref float pa = ref MemoryMarshal.GetReference(a);
        ref float pb = ref MemoryMarshal.GetReference(b);
        float sum = 0;
        if (Vector512.IsHardwareAccelerated && n >= 16)
        {
            var acc0 = Vector512<float>.Zero;
            var acc1 = Vector512<float>.Zero;
            for (; i <= n - 32; i += 32)
            {
                acc0 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref pa, (nuint)i), Vector512.LoadUnsafe(ref pb, (nuint)i), acc0);
                acc1 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref pa, (nuint)(i + 16)), Vector512.LoadUnsafe(ref pb, (nuint)(i + 16)), acc1);
            }
            for (; i <= n - 16; i += 16)
                acc0 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref pa, (nuint)i), Vector512.LoadUnsafe(ref pb, (nuint)i), acc0);
            sum = Vector512.Sum(acc0 + acc1);
        }
        else if (Vector256.IsHardwareAccelerated && n >= 8)
        {
            var acc = Vector256<float>.Zero;
            for (; i <= n - 8; i += 8)
                acc = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref pa, (nuint)i), Vector256.LoadUnsafe(ref pb, (nuint)i), acc);
            sum = Vector256.Sum(acc);
        }
        for (; i < n; i++) sum += Unsafe.Add(ref pa, i) * Unsafe.Add(ref pb, i);
        return sum;
    }

    /// <summary>The dot products of four rows with one vector x, written to <paramref name="output"/>[0..3].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Dot4(ReadOnlySpan<float> a0, ReadOnlySpan<float> a1, ReadOnlySpan<float> a2, ReadOnlySpan<float> a3, ReadOnlySpan<float> x, Span<float> output)
    {
        int n = x.Length, i = 0;
        if (a0.Length < n || a1.Length < n || a2.Length < n || a3.Length < n || output.Length < 4)
            throw new ArgumentException("Dot4: a row or the output is too short.");
        ref float p0 = ref MemoryMarshal.GetReference(a0);
        ref float p1 = ref MemoryMarshal.GetReference(a1);
        ref float p2 = ref MemoryMarshal.GetReference(a2);
        ref float p3 = ref MemoryMarshal.GetReference(a3);
        ref float px = ref MemoryMarshal.GetReference(x);
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        if (Vector512.IsHardwareAccelerated && n >= 16)
        {
            Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default;
            for (; i <= n - 16; i += 16)
            {
                var xv = Vector512.LoadUnsafe(ref px, (nuint)i);
                c0 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref p0, (nuint)i), xv, c0);
                c1 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref p1, (nuint)i), xv, c1);
                c2 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref p2, (nuint)i), xv, c2);
                c3 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref p3, (nuint)i), xv, c3);
            }
            (s0, s1, s2, s3) = (Vector512.Sum(c0), Vector512.Sum(c1), Vector512.Sum(c2), Vector512.Sum(c3));
        }
        else if (Vector256.IsHardwareAccelerated && n >= 8)
        {
            Vector256<float> c0 = default, c1 = default, c2 = default, c3 = default;
            for (; i <= n - 8; i += 8)
            {
                var xv = Vector256.LoadUnsafe(ref px, (nuint)i);
                c0 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref p0, (nuint)i), xv, c0);
                c1 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref p1, (nuint)i), xv, c1);
                c2 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref p2, (nuint)i), xv, c2);
                c3 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref p3, (nuint)i), xv, c3);
            }
            (s0, s1, s2, s3) = (Vector256.Sum(c0), Vector256.Sum(c1), Vector256.Sum(c2), Vector256.Sum(c3));
        }
        for (; i < n; i++)
        {
            float xi = Unsafe.Add(ref px, i);
            s0 += Unsafe.Add(ref p0, i) * xi;
            s1 += Unsafe.Add(ref p1, i) * xi;
            s2 += Unsafe.Add(ref p2, i) * xi;
            s3 += Unsafe.Add(ref p3, i) * xi;
        }
        output[0] = s0;
        output[1] = s1;
        output[2] = s2;
        output[3] = s3;
    }

    /// <summary>y += alpha · x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddScaled(ReadOnlySpan<float> x, float alpha, Span<float> y)
    {
        int n = y.Length, i = 0;
        if (x.Length < n) throw new ArgumentException("AddScaled: the source row is shorter than the target.", nameof(x));
        ref float px = ref MemoryMarshal.GetReference(x);
        ref float py = ref MemoryMarshal.GetReference(y);
        if (Vector512.IsHardwareAccelerated)
        {
            var va = Vector512.Create(alpha);
            for (; i <= n - 16; i += 16)
                Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref px, (nuint)i), va, Vector512.LoadUnsafe(ref py, (nuint)i)).StoreUnsafe(ref py, (nuint)i);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            var va = Vector256.Create(alpha);
            for (; i <= n - 8; i += 8)
                Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref px, (nuint)i), va, Vector256.LoadUnsafe(ref py, (nuint)i)).StoreUnsafe(ref py, (nuint)i);
        }
        for (; i < n; i++) Unsafe.Add(ref py, i) = MathF.FusedMultiplyAdd(Unsafe.Add(ref px, i), alpha, Unsafe.Add(ref py, i));
    }

    /// <summary>
    /// Asks for a row's cache lines ahead of use: the ids of a step are random rows of a table larger
    /// than L2, and issuing the next row's loads while this row computes hides most of the miss.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Prefetch(ReadOnlySpan<float> row)
    {
        if (!Sse.IsSupported) return;
        fixed (float* p = row)
            for (int i = 0; i < row.Length; i += 16) Sse.Prefetch0(p + i);
    }
}
