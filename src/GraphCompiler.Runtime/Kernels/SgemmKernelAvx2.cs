using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace GraphCompiler.Runtime.Kernels;

/// <summary>
/// AVX2+FMA micro-kernel: a 6x16 tile of C += packed A (6 rows) x packed B (16 columns).
/// </summary>
/// <remarks>
/// <para>The classic 6x16 shape: 12 ymm accumulators + 2 B vectors + 1 broadcast = 15 of the 16 ymm registers.</para>
/// <para>Blocking: KC x 16 B sliver (16 KiB) in L1, MC x KC A block (72 KiB) in L2, B panel in L3.</para>
/// </remarks>
internal readonly unsafe struct SgemmKernelAvx2 : ISgemmMicroKernel
{
    public static int MR => 6;

    public static int NR => 16;

    public static int KC => 256;

    public static int MC => 72;

    public static int NC => 2048;

    public static void Run(int kc, float* a, float* b, float* c, int ldc, bool overwrite, SgemmEpilogue epilogue)
    {
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default;
        Vector256<float> c20 = default, c21 = default, c30 = default, c31 = default;
        Vector256<float> c40 = default, c41 = default, c50 = default, c51 = default;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector256.Load(b + 0);
            var b1 = Vector256.Load(b + 8);
            var a0 = Vector256.Create(a[0]);
            c00 = Fma.MultiplyAdd(a0, b0, c00);
            c01 = Fma.MultiplyAdd(a0, b1, c01);
            var a1 = Vector256.Create(a[1]);
            c10 = Fma.MultiplyAdd(a1, b0, c10);
            c11 = Fma.MultiplyAdd(a1, b1, c11);
            var a2 = Vector256.Create(a[2]);
            c20 = Fma.MultiplyAdd(a2, b0, c20);
            c21 = Fma.MultiplyAdd(a2, b1, c21);
            var a3 = Vector256.Create(a[3]);
            c30 = Fma.MultiplyAdd(a3, b0, c30);
            c31 = Fma.MultiplyAdd(a3, b1, c31);
            var a4 = Vector256.Create(a[4]);
            c40 = Fma.MultiplyAdd(a4, b0, c40);
            c41 = Fma.MultiplyAdd(a4, b1, c41);
            var a5 = Vector256.Create(a[5]);
            c50 = Fma.MultiplyAdd(a5, b0, c50);
            c51 = Fma.MultiplyAdd(a5, b1, c51);
            a += 6;
            b += 16;
        }

        if (epilogue.IsIdentity && !overwrite)
        {
            AddRow(c, c00, c01);
            AddRow(c + 1 * ldc, c10, c11);
            AddRow(c + 2 * ldc, c20, c21);
            AddRow(c + 3 * ldc, c30, c31);
            AddRow(c + 4 * ldc, c40, c41);
            AddRow(c + 5 * ldc, c50, c51);
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
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddRow(float* c, Vector256<float> v0, Vector256<float> v1)
    {
        Vector256.Store(Vector256.Load(c) + v0, c);
        Vector256.Store(Vector256.Load(c + 8) + v1, c + 8);
    }

    /// <summary>How a tile row is stored when it is not a plain accumulate: C read or not, bias, relu.</summary>
    private readonly struct TileStore(SgemmEpilogue epilogue, bool overwrite)
    {
        private readonly Vector256<float> _bias0 = epilogue.Bias == null ? Vector256<float>.Zero : Vector256.Load(epilogue.Bias);
        private readonly Vector256<float> _bias1 = epilogue.Bias == null ? Vector256<float>.Zero : Vector256.Load(epilogue.Bias + 8);
        private readonly bool _hasBias = epilogue.Bias != null;
        private readonly bool _relu = epilogue.Relu;
        private readonly bool _readC = !overwrite;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Row(float* c, Vector256<float> v0, Vector256<float> v1)
        {
            if (_readC)
            {
                v0 += Vector256.Load(c);
                v1 += Vector256.Load(c + 8);
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

            Vector256.Store(v0, c);
            Vector256.Store(v1, c + 8);
        }
    }
}
