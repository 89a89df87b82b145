using ILGPU;

namespace GraphCompiler.Runtime.Devices;

/// <summary>
/// Single-precision matrix multiplication on a device, over row-major contiguous matrices:
/// <c>C = alpha * op(A) * op(B) + beta * C</c>, where op(A) is m×k (A stored k×m when transposed),
/// op(B) is k×n (B stored n×k when transposed) and C is m×n. With <c>beta == 0</c>, C is only written
/// (NaNs in it do not propagate), as in BLAS.
/// </summary>
public interface IDeviceGemm
{
    /// <summary>Which implementation this is.</summary>
    GemmBackend Backend { get; }

    /// <summary>Enqueues the multiplication on the device's default stream.</summary>
    void Gemm(bool transposeA, bool transposeB, int m, int n, int k,
        float alpha, ArrayView<float> a, ArrayView<float> b, float beta, ArrayView<float> c);
}
