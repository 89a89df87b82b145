using ILGPU;
using ILGPU.Runtime;

namespace GraphCompiler.Runtime.Devices;

/// <summary>
/// GEMM as an ILGPU kernel without shared memory or barriers, for ILGPU's CPU accelerator. There every
/// simulated thread of a group is a host thread, and each <c>Group.Barrier()</c> of the tiled kernel
/// (<see cref="IlgpuGemm"/>) makes all of them meet: two barriers per tile step cost far more than the
/// arithmetic between them. Here each thread computes <see cref="Columns"/> adjacent outputs of one row
/// of C on its own, keeping the partial sums in registers and reading each element of op(A) once per
/// block of columns.
/// </summary>
public sealed class IlgpuBlockedGemm : IDeviceGemm
{
    /// <summary>Outputs per thread, along a row of C.</summary>
    public const int Columns = 4;

    private readonly DeviceContext _device;

    internal IlgpuBlockedGemm(DeviceContext device)
    {
        _device = device;
    }

    /// <inheritdoc />
    public GemmBackend Backend => GemmBackend.IlgpuBlocked;

    /// <inheritdoc />
    public void Gemm(bool transposeA, bool transposeB, int m, int n, int k,
        float alpha, ArrayView<float> a, ArrayView<float> b, float beta, ArrayView<float> c)
    {
        DeviceGemm.CheckOperands(m, n, k, a, b, c);
        if (m == 0 || n == 0) return;
        var launch = _device.Kernels.Auto<ArrayView<float>, ArrayView<float>, ArrayView<float>, IlgpuGemm.GemmShape>(Kernel);
        int blocks = (n + Columns - 1) / Columns;
        launch(m * blocks, a, b, c, new IlgpuGemm.GemmShape(m, n, k, transposeA ? 1 : 0, transposeB ? 1 : 0, alpha, beta));
    }

    internal static void Kernel(Index1D i, ArrayView<float> a, ArrayView<float> b, ArrayView<float> c, IlgpuGemm.GemmShape s)
    {
        int blocks = (s.N + Columns - 1) / Columns;
        int row = i / blocks;
        int col = i % blocks * Columns;
        int width = Math.Min(Columns, s.N - col);
        // Element (row, p) of op(A) sits at aRow + p·aStep; element (p, col) of op(B) at col·bCol + p·bStep.
        long aRow = s.TransposeA != 0 ? row : (long)row * s.K;
        long aStep = s.TransposeA != 0 ? s.M : 1;
        long bCol = s.TransposeB != 0 ? s.K : 1;
        long bStep = s.TransposeB != 0 ? 1 : s.N;
        // Columns past the edge read column col again: in range, and never stored.
        long b0 = col * bCol;
        long b1 = (col + (width > 1 ? 1 : 0)) * bCol;
        long b2 = (col + (width > 2 ? 2 : 0)) * bCol;
        long b3 = (col + (width > 3 ? 3 : 0)) * bCol;
        float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f;
        for (int p = 0; p < s.K; p++)
        {
            float x = a[aRow + p * aStep];
            long at = p * bStep;
            s0 += x * b[b0 + at];
            s1 += x * b[b1 + at];
            s2 += x * b[b2 + at];
            s3 += x * b[b3 + at];
        }
        long o = (long)row * s.N + col;
        Store(c, o, s0, s);
        if (width > 1) Store(c, o + 1, s1, s);
        if (width > 2) Store(c, o + 2, s2, s);
        if (width > 3) Store(c, o + 3, s3, s);
    }

    private static void Store(ArrayView<float> c, long at, float sum, IlgpuGemm.GemmShape s) =>
        c[at] = s.Beta == 0f ? s.Alpha * sum : s.Alpha * sum + s.Beta * c[at];
}
