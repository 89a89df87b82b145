using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace GraphCompiler.Runtime.Kernels;

/// <summary>
/// The transposing half of GEMM packing: <c>count</c> lines, each contiguous along k, written across a
/// sliver so that the values of one k step lie together — <c>dst[p·width + i] = scale·line_i[p]</c>.
/// That is packing A when its rows are contiguous (no transpose) and packing B when it is transposed.
/// </summary>
/// <remarks>
/// A scalar loop does this one strided store per value; here 8 lines × 8 k steps are loaded as eight
/// 256-bit rows, transposed in registers (24 shuffles) and stored as eight runs, 4-line groups use the
/// 128-bit 4x4 transpose, and only a last line or two and the k remainder are copied one by one.
/// </remarks>
internal static unsafe class SgemmTransposePack
{
    /// <summary>dst[p·width + i] = scale·src[i·lineStride + p] for i &lt; count, p &lt; kc.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Pack(float* src, nint lineStride, int count, int kc, float scale, float* dst, int width)
    {
        int i = 0;
        if (Avx.IsSupported)
        {
            var s = Vector256.Create(scale);
            for (; i + 8 <= count; i += 8) Lines8(src + i * lineStride, lineStride, kc, s, dst + i, width);
            for (; i + 4 <= count; i += 4) Lines4(src + i * lineStride, lineStride, kc, s.GetLower(), dst + i, width);
        }

        for (; i < count; i++)
        {
            float* line = src + i * lineStride;
            float* d = dst + i;
            for (int p = 0; p < kc; p++) d[p * width] = scale * line[p];
        }
    }

    private static void Lines8(float* src, nint stride, int kc, Vector256<float> scale, float* dst, int width)
    {
        int p = 0;
        for (; p + 8 <= kc; p += 8)
        {
            float* s = src + p;
            var r0 = Avx.Multiply(Avx.LoadVector256(s), scale);
            var r1 = Avx.Multiply(Avx.LoadVector256(s + stride), scale);
            var r2 = Avx.Multiply(Avx.LoadVector256(s + 2 * stride), scale);
            var r3 = Avx.Multiply(Avx.LoadVector256(s + 3 * stride), scale);
            var r4 = Avx.Multiply(Avx.LoadVector256(s + 4 * stride), scale);
            var r5 = Avx.Multiply(Avx.LoadVector256(s + 5 * stride), scale);
            var r6 = Avx.Multiply(Avx.LoadVector256(s + 6 * stride), scale);
            var r7 = Avx.Multiply(Avx.LoadVector256(s + 7 * stride), scale);

            // Interleave pairs of lines, then pairs of pairs: each 128-bit half then holds one k step of
            // four lines (steps 0-3 in the low halves, 4-7 in the high halves).
            var t0 = Avx.UnpackLow(r0, r1);
            var t1 = Avx.UnpackHigh(r0, r1);
            var t2 = Avx.UnpackLow(r2, r3);
            var t3 = Avx.UnpackHigh(r2, r3);
            var t4 = Avx.UnpackLow(r4, r5);
            var t5 = Avx.UnpackHigh(r4, r5);
            var t6 = Avx.UnpackLow(r6, r7);
            var t7 = Avx.UnpackHigh(r6, r7);
            var u0 = Avx.Shuffle(t0, t2, 0x44);
            var u1 = Avx.Shuffle(t0, t2, 0xEE);
            var u2 = Avx.Shuffle(t1, t3, 0x44);
            var u3 = Avx.Shuffle(t1, t3, 0xEE);
            var u4 = Avx.Shuffle(t4, t6, 0x44);
            var u5 = Avx.Shuffle(t4, t6, 0xEE);
            var u6 = Avx.Shuffle(t5, t7, 0x44);
            var u7 = Avx.Shuffle(t5, t7, 0xEE);

            float* d = dst + p * width;
            Avx.Store(d, Avx.Permute2x128(u0, u4, 0x20));
            Avx.Store(d + width, Avx.Permute2x128(u1, u5, 0x20));
            Avx.Store(d + 2 * width, Avx.Permute2x128(u2, u6, 0x20));
            Avx.Store(d + 3 * width, Avx.Permute2x128(u3, u7, 0x20));
            Avx.Store(d + 4 * width, Avx.Permute2x128(u0, u4, 0x31));
            Avx.Store(d + 5 * width, Avx.Permute2x128(u1, u5, 0x31));
            Avx.Store(d + 6 * width, Avx.Permute2x128(u2, u6, 0x31));
            Avx.Store(d + 7 * width, Avx.Permute2x128(u3, u7, 0x31));
        }

        float sc = scale.ToScalar();
        for (; p < kc; p++)
        {
            float* d = dst + p * width;
            for (int i = 0; i < 8; i++) d[i] = sc * src[i * stride + p];
        }
    }

    private static void Lines4(float* src, nint stride, int kc, Vector128<float> scale, float* dst, int width)
    {
        int p = 0;
        for (; p + 4 <= kc; p += 4)
        {
            float* s = src + p;
            var r0 = Sse.Multiply(Sse.LoadVector128(s), scale);
            var r1 = Sse.Multiply(Sse.LoadVector128(s + stride), scale);
            var r2 = Sse.Multiply(Sse.LoadVector128(s + 2 * stride), scale);
            var r3 = Sse.Multiply(Sse.LoadVector128(s + 3 * stride), scale);
            var t0 = Sse.UnpackLow(r0, r1);
            var t1 = Sse.UnpackLow(r2, r3);
            var t2 = Sse.UnpackHigh(r0, r1);
            var t3 = Sse.UnpackHigh(r2, r3);
            float* d = dst + p * width;
            Sse.Store(d, Sse.MoveLowToHigh(t0, t1));
            Sse.Store(d + width, Sse.MoveHighToLow(t1, t0));
            Sse.Store(d + 2 * width, Sse.MoveLowToHigh(t2, t3));
            Sse.Store(d + 3 * width, Sse.MoveHighToLow(t3, t2));
        }

        float sc = scale.ToScalar();
        for (; p < kc; p++)
        {
            float* d = dst + p * width;
            for (int i = 0; i < 4; i++) d[i] = sc * src[i * stride + p];
        }
    }
}
