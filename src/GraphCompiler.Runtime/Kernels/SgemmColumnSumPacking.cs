using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace GraphCompiler.Runtime.Kernels;

/// <summary>
/// B packing that also sums each column of op(B) over the packed k block: the bias gradient of a dense layer
/// (db = Σ_batch dY) taken from the dY values that dW = Xᵀ·dY copies into its packed panel anyway, so dY is
/// not read a second time. Each column's sum runs in k order within the block (deterministic, whatever the
/// thread count), then is written to, or added to, the caller's sums.
/// </summary>
internal static unsafe class SgemmColumnSumPacking
{
    /// <summary>The widest sliver any micro-kernel packs (the AVX-512 kernel's NR).</summary>
    private const int MaxSliver = 32;

    /// <summary>
    /// One sliver of a B whose rows are contiguous: dst[p·nr + j] = src[p·rowStride + j] for j &lt; cols (zero
    /// up to nr), and sums[j] (+)= Σ_p src[p·rowStride + j].
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void CopyRows(float* src, nint rowStride, int kc, int cols, int nr, float* dst, float* sums, bool add)
    {
        if (cols == nr && Vector256.IsHardwareAccelerated)
        {
            if (nr == 32)
            {
                CopyRows32(src, rowStride, kc, dst, sums, add);
                return;
            }

            if (nr == 16)
            {
                CopyRows16(src, rowStride, kc, dst, sums, add);
                return;
            }
        }

        // Edge slivers and the scalar kernel's 4-wide slivers: sums kept in a small stack block.
        float* acc = stackalloc float[MaxSliver];
        new Span<float>(acc, cols).Clear();
        for (int p = 0; p < kc; p++)
        {
            float* row = src + p * rowStride;
            float* d = dst + p * nr;
            for (int jj = 0; jj < cols; jj++)
            {
                float v = row[jj];
                d[jj] = v;
                acc[jj] += v;
            }

            for (int jj = cols; jj < nr; jj++) d[jj] = 0f;
        }

        Store(acc, sums, cols, add);
    }

    /// <summary>
    /// Sums of <paramref name="count"/> columns of a transposed B, each a line along k (element p of line j at
    /// src[j·lineStride + p·step]), read just before the transposing pack copies the same lines.
    /// </summary>
    public static void SumLines(float* src, nint lineStride, nint step, int count, int kc, float* sums, bool add)
    {
        for (int j = 0; j < count; j++)
        {
            float* line = src + j * lineStride;
            float s = 0f;
            for (int p = 0; p < kc; p++) s += line[p * step];
            sums[j] = add ? sums[j] + s : s;
        }
    }

    /// <summary>The 32-wide sliver (AVX-512 kernel): four 8-lane sums stay in registers across the block.</summary>
    private static void CopyRows32(float* src, nint rowStride, int kc, float* dst, float* sums, bool add)
    {
        Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default;
        for (int p = 0; p < kc; p++)
        {
            float* row = src + p * rowStride;
            float* d = dst + p * 32;
            var v0 = Vector256.Load(row);
            var v1 = Vector256.Load(row + 8);
            var v2 = Vector256.Load(row + 16);
            var v3 = Vector256.Load(row + 24);
            Vector256.Store(v0, d);
            Vector256.Store(v1, d + 8);
            Vector256.Store(v2, d + 16);
            Vector256.Store(v3, d + 24);
            s0 += v0;
            s1 += v1;
            s2 += v2;
            s3 += v3;
        }

        Store(s0, sums, add);
        Store(s1, sums + 8, add);
        Store(s2, sums + 16, add);
        Store(s3, sums + 24, add);
    }

    /// <summary>The 16-wide sliver (AVX2 kernel).</summary>
    private static void CopyRows16(float* src, nint rowStride, int kc, float* dst, float* sums, bool add)
    {
        Vector256<float> s0 = default, s1 = default;
        for (int p = 0; p < kc; p++)
        {
            float* row = src + p * rowStride;
            float* d = dst + p * 16;
            var v0 = Vector256.Load(row);
            var v1 = Vector256.Load(row + 8);
            Vector256.Store(v0, d);
            Vector256.Store(v1, d + 8);
            s0 += v0;
            s1 += v1;
        }

        Store(s0, sums, add);
        Store(s1, sums + 8, add);
    }

    private static void Store(Vector256<float> s, float* sums, bool add) =>
        Vector256.Store(add ? Vector256.Load(sums) + s : s, sums);

    private static void Store(float* acc, float* sums, int count, bool add)
    {
        for (int j = 0; j < count; j++) sums[j] = add ? sums[j] + acc[j] : acc[j];
    }
}
