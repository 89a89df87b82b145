using System.Runtime.CompilerServices;

namespace GraphCompiler.Runtime.Kernels;

/// <summary>
/// The portable micro-kernel (4x4, plain multiply and add): used where no SIMD path exists, and as the
/// path tests force to check the packing and edge logic independently of the vector kernels.
/// </summary>
internal readonly unsafe struct SgemmKernelScalar : ISgemmMicroKernel
{
    public static int MR => 4;

    public static int NR => 4;

    public static int KC => 128;

    public static int MC => 64;

    public static int NC => 512;

    public static void Run(int kc, float* a, float* b, float* c, int ldc, bool overwrite, SgemmEpilogue epilogue)
    {
        // Sixteen named accumulators so the JIT keeps them in registers.
        float c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        float c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
        for (int p = 0; p < kc; p++)
        {
            float b0 = b[0], b1 = b[1], b2 = b[2], b3 = b[3];
            float a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3];
            c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
            c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
            c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
            c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
            a += 4;
            b += 4;
        }

        if (epilogue.IsIdentity && !overwrite)
        {
            c[0] += c00; c[1] += c01; c[2] += c02; c[3] += c03;
            c += ldc;
            c[0] += c10; c[1] += c11; c[2] += c12; c[3] += c13;
            c += ldc;
            c[0] += c20; c[1] += c21; c[2] += c22; c[3] += c23;
            c += ldc;
            c[0] += c30; c[1] += c31; c[2] += c32; c[3] += c33;
            return;
        }

        // A first k block that replaces C, or the last one of a fused product.
        Store(c, 0, c00, overwrite, epilogue); Store(c, 1, c01, overwrite, epilogue);
        Store(c, 2, c02, overwrite, epilogue); Store(c, 3, c03, overwrite, epilogue);
        c += ldc;
        Store(c, 0, c10, overwrite, epilogue); Store(c, 1, c11, overwrite, epilogue);
        Store(c, 2, c12, overwrite, epilogue); Store(c, 3, c13, overwrite, epilogue);
        c += ldc;
        Store(c, 0, c20, overwrite, epilogue); Store(c, 1, c21, overwrite, epilogue);
        Store(c, 2, c22, overwrite, epilogue); Store(c, 3, c23, overwrite, epilogue);
        c += ldc;
        Store(c, 0, c30, overwrite, epilogue); Store(c, 1, c31, overwrite, epilogue);
        Store(c, 2, c32, overwrite, epilogue); Store(c, 3, c33, overwrite, epilogue);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* c, int j, float sum, bool overwrite, SgemmEpilogue epilogue) =>
        c[j] = epilogue.Apply(overwrite ? sum : c[j] + sum, j);
}
