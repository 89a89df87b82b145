using ILGPU;
using ILGPU.Runtime;

namespace GraphCompiler.Runtime.Devices;

/// <summary>
/// GEMM as a tiled ILGPU kernel, for GPUs without cuBLAS (OpenCL); ILGPU's CPU accelerator uses
/// <see cref="IlgpuBlockedGemm"/>, which needs no barriers.
/// Written here because ILGPU.Algorithms has no matrix multiplication. Each group computes one
/// tile×tile block of C, staging tile×tile blocks of op(A) and op(B) in shared memory, one output per
/// thread. It is the textbook tiling, not a register-blocked one: on CUDA, cuBLAS does the real work.
/// </summary>
public sealed class IlgpuGemm : IDeviceGemm
{
    private readonly DeviceContext _device;
    private readonly int _tile;

    internal IlgpuGemm(DeviceContext device)
    {
        _device = device;
        // The largest square tile whose threads fit in one group: 16 (256 threads) on a GPU.
        _tile = 16;
        while (_tile > 1 && _tile * _tile > device.Accelerator.MaxNumThreadsPerGroup) _tile /= 2;
    }

    /// <inheritdoc />
    public GemmBackend Backend => GemmBackend.IlgpuTiled;

    /// <summary>The tile edge this accelerator uses.</summary>
    public int Tile => _tile;

    /// <inheritdoc />
    public void Gemm(bool transposeA, bool transposeB, int m, int n, int k,
        float alpha, ArrayView<float> a, ArrayView<float> b, float beta, ArrayView<float> c)
    {
        DeviceGemm.CheckOperands(m, n, k, a, b, c);
        if (m == 0 || n == 0) return;
        var launch = _device.Kernels.Load<Action<ArrayView<float>, ArrayView<float>, ArrayView<float>, GemmShape, SpecializedValue<int>>, Action<KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, GemmShape, SpecializedValue<int>>>(
            Kernel, static (accelerator, kernel) => accelerator.LoadStreamKernel(kernel));
        var groups = new Index2D((n + _tile - 1) / _tile, (m + _tile - 1) / _tile);
        var config = new KernelConfig(groups, new Index2D(_tile, _tile), SharedMemoryConfig.RequestDynamic<float>(2 * _tile * _tile));
        launch(config, a, b, c, new GemmShape(m, n, k, transposeA ? 1 : 0, transposeB ? 1 : 0, alpha, beta), SpecializedValue.New(_tile));
    }

    /// <summary>
    /// Sizes and scalars of one GEMM, passed as one kernel argument. Public because ILGPU's CPU back end
    /// emits a launcher in another assembly that must see every kernel parameter type.
    /// </summary>
    public readonly record struct GemmShape(int M, int N, int K, int TransposeA, int TransposeB, float Alpha, float Beta);

    // The tile edge is a specialized value so that ILGPU compiles it as a constant (unrolled inner loop)
    // while one kernel serves every accelerator's group size.
    internal static void Kernel(ArrayView<float> a, ArrayView<float> b, ArrayView<float> c, GemmShape s, SpecializedValue<int> tileValue)
    {
        int tile = tileValue;
        var shared = SharedMemory.GetDynamic<float>();
        var aTile = shared.SubView(0, tile * tile);
        var bTile = shared.SubView(tile * tile, tile * tile);
        int tx = Group.IdxX, ty = Group.IdxY;
        int row = Grid.IdxY * tile + ty;
        int col = Grid.IdxX * tile + tx;
        float sum = 0f;
        for (int p0 = 0; p0 < s.K; p0 += tile)
        {
            int pa = p0 + tx, pb = p0 + ty;
            aTile[ty * tile + tx] = row < s.M && pa < s.K ? a[s.TransposeA != 0 ? pa * s.M + row : row * s.K + pa] : 0f;
            bTile[ty * tile + tx] = pb < s.K && col < s.N ? b[s.TransposeB != 0 ? col * s.K + pb : pb * s.N + col] : 0f;
            Group.Barrier();
            for (int q = 0; q < tile; q++) sum += aTile[ty * tile + q] * bTile[q * tile + tx];
            Group.Barrier();
        }
        if (row < s.M && col < s.N)
        {
            int at = row * s.N + col;
            c[at] = s.Beta == 0f ? s.Alpha * sum : s.Alpha * sum + s.Beta * c[at];
        }
    }
}
