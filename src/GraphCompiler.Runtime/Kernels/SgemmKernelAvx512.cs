using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace GraphCompiler.Runtime.Kernels;

/// <summary>
/// AVX-512 micro-kernel: a 12x32 tile of C += packed A (12 rows) x packed B (32 columns).
/// </summary>
/// <remarks>
/// <para>Why 12x32: 24 zmm accumulators + 2 B vectors + 1 broadcast = 27 of the 32 zmm registers, so the JIT
/// keeps everything in registers (14x32 needs 31 and risks spills). Per k step it issues 24 FMAs against
/// 2 loads + 12 broadcasts, which keeps both FMA ports busy while the load ports have slack; 24 independent
/// accumulators also cover the 4-cycle FMA latency on two ports (8 needed).</para>
/// <para>Blocking: KC = 512 deep slabs, so a 1024-deep product makes two passes over C instead of four and
/// each tile's load/store of C is spread over twice the FMAs. The 64 KiB B sliver then spills L1 a little,
/// and streams from L2 in order with a software prefetch 16 k steps ahead; measured faster than KC = 256 at
/// n = 512, 1024 and 2048. The MC x KC A block (144 x 512, 288 KiB) and the sliver stay in the 2 MiB L2;
/// the KC x NC B panel sits in L2/L3.</para>
/// </remarks>
internal readonly unsafe struct SgemmKernelAvx512 : ISgemmMicroKernel
{
    /// <summary>How far ahead in the B sliver (in floats: 16 k steps of 32) the loop prefetches.</summary>
    private const int BPrefetchFloats = 16 * 32;

    public static int MR => 12;

    public static int NR => 32;

    public static int KC => 512;

    public static int MC => 144;

    public static int NC => 2048;

    public static void Run(int kc, float* a, float* b, float* c, int ldc, bool overwrite, SgemmEpilogue epilogue)
    {
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default;
        Vector512<float> c20 = default, c21 = default, c30 = default, c31 = default;
        Vector512<float> c40 = default, c41 = default, c50 = default, c51 = default;
        Vector512<float> c60 = default, c61 = default, c70 = default, c71 = default;
        Vector512<float> c80 = default, c81 = default, c90 = default, c91 = default;
        Vector512<float> cA0 = default, cA1 = default, cB0 = default, cB1 = default;
        for (int p = 0; p < kc; p++)
        {
            // The 64 KiB B sliver does not fit L1 next to the A sliver: fetch it 16 k steps (2 KiB) ahead.
            // Past the sliver's end this touches the next sliver or unused buffer; prefetches never fault.
            Sse.Prefetch0(b + BPrefetchFloats);
            Sse.Prefetch0(b + BPrefetchFloats + 16);

            var b0 = Vector512.Load(b + 0);
            var b1 = Vector512.Load(b + 16);
            var a0 = Vector512.Create(a[0]);
            c00 = Avx512F.FusedMultiplyAdd(a0, b0, c00);
            c01 = Avx512F.FusedMultiplyAdd(a0, b1, c01);
            var a1 = Vector512.Create(a[1]);
            c10 = Avx512F.FusedMultiplyAdd(a1, b0, c10);
            c11 = Avx512F.FusedMultiplyAdd(a1, b1, c11);
            var a2 = Vector512.Create(a[2]);
            c20 = Avx512F.FusedMultiplyAdd(a2, b0, c20);
            c21 = Avx512F.FusedMultiplyAdd(a2, b1, c21);
            var a3 = Vector512.Create(a[3]);
            c30 = Avx512F.FusedMultiplyAdd(a3, b0, c30);
            c31 = Avx512F.FusedMultiplyAdd(a3, b1, c31);
            var a4 = Vector512.Create(a[4]);
            c40 = Avx512F.FusedMultiplyAdd(a4, b0, c40);
            c41 = Avx512F.FusedMultiplyAdd(a4, b1, c41);
            var a5 = Vector512.Create(a[5]);
            c50 = Avx512F.FusedMultiplyAdd(a5, b0, c50);
            c51 = Avx512F.FusedMultiplyAdd(a5, b1, c51);
            var a6 = Vector512.Create(a[6]);
            c60 = Avx512F.FusedMultiplyAdd(a6, b0, c60);
            c61 = Avx512F.FusedMultiplyAdd(a6, b1, c61);
            var a7 = Vector512.Create(a[7]);
            c70 = Avx512F.FusedMultiplyAdd(a7, b0, c70);
            c71 = Avx512F.FusedMultiplyAdd(a7, b1, c71);
            var a8 = Vector512.Create(a[8]);
            c80 = Avx512F.FusedMultiplyAdd(a8, b0, c80);
            c81 = Avx512F.FusedMultiplyAdd(a8, b1, c81);
            var a9 = Vector512.Create(a[9]);
            c90 = Avx512F.FusedMultiplyAdd(a9, b0, c90);
            c91 = Avx512F.FusedMultiplyAdd(a9, b1, c91);
            var aA = Vector512.Create(a[10]);
            cA0 = Avx512F.FusedMultiplyAdd(aA, b0, cA0);
            cA1 = Avx512F.FusedMultiplyAdd(aA, b1, cA1);
            var aB = Vector512.Create(a[11]);
            cB0 = Avx512F.FusedMultiplyAdd(aB, b0, cB0);
            cB1 = Avx512F.FusedMultiplyAdd(aB, b1, cB1);
            a += 12;
            b += 32;
        }

        if (epilogue.IsIdentity && !overwrite)
        {
            AddRow(c, c00, c01);
            AddRow(c + 1 * ldc, c10, c11);
            AddRow(c + 2 * ldc, c20, c21);
            AddRow(c + 3 * ldc, c30, c31);
            AddRow(c + 4 * ldc, c40, c41);
            AddRow(c + 5 * ldc, c50, c51);
            AddRow(c + 6 * ldc, c60, c61);
            AddRow(c + 7 * ldc, c70, c71);
            AddRow(c + 8 * ldc, c80, c81);
            AddRow(c + 9 * ldc, c90, c91);
            AddRow(c + 10 * ldc, cA0, cA1);
            AddRow(c + 11 * ldc, cB0, cB1);
            return;
        }

        // A first k block that replaces C, or the last one of a fused product: bias and activation while
        // the tile is still in registers.
        var store = new TileStore(epilogue, overwrite);
        store.Row(c, c00, c01);
        store.Row(c + 1 * ldc, c10, c11);
        store.Row(c + 2 * ldc, c20, c21);
        store.Row(c + 3 * ldc, c30, c31);
        store.Row(c + 4 * ldc, c40, c41);
        store.Row(c + 5 * ldc, c50, c51);
        store.Row(c + 6 * ldc, c60, c61);
        store.Row(c + 7 * ldc, c70, c71);
        store.Row(c + 8 * ldc, c80, c81);
        store.Row(c + 9 * ldc, c90, c91);
        store.Row(c + 10 * ldc, cA0, cA1);
        store.Row(c + 11 * ldc, cB0, cB1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddRow(float* c, Vector512<float> v0, Vector512<float> v1)
    {
        Vector512.Store(Vector512.Load(c) + v0, c);
        Vector512.Store(Vector512.Load(c + 16) + v1, c + 16);
    }

    /// <summary>How a tile row is stored when it is not a plain accumulate: C read or not, bias, relu.</summary>
    private readonly struct TileStore(SgemmEpilogue epilogue, bool overwrite)
    {
        private readonly Vector512<float> _bias0 = epilogue.Bias == null ? Vector512<float>.Zero : Vector512.Load(epilogue.Bias);
        private readonly Vector512<float> _bias1 = epilogue.Bias == null ? Vector512<float>.Zero : Vector512.Load(epilogue.Bias + 16);
        private readonly bool _hasBias = epilogue.Bias != null;
        private readonly bool _relu = epilogue.Relu;
        private readonly bool _readC = !overwrite;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Row(float* c, Vector512<float> v0, Vector512<float> v1)
        {
            if (_readC)
            {
                v0 += Vector512.Load(c);
                v1 += Vector512.Load(c + 16);
            }

            if (_hasBias)
            {
                v0 += _bias0;
                v1 += _bias1;
            }

            if (_relu)
            {
                v0 = SimdRelu.Apply(v0);
                v1 = SimdRelu.Apply(v1);
            }

            Vector512.Store(v0, c);
            Vector512.Store(v1, c + 16);
        }
    }
}
