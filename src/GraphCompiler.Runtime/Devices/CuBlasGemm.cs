using ILGPU;
using ILGPU.Runtime.Cuda;

namespace GraphCompiler.Runtime.Devices;

/// <summary>
/// GEMM through cuBLAS (ILGPU.Algorithms' <see cref="CuBlas"/>), used on CUDA. cuBLAS is column-major;
/// a row-major C = op(A)·op(B) is the column-major Cᵀ = op(B)ᵀ·op(A)ᵀ, so the operands are passed
/// swapped, with the row-major matrices read as their column-major transposes.
/// </summary>
public sealed class CuBlasGemm : IDeviceGemm, IDisposable
{
    private readonly CuBlas _blas;

    internal CuBlasGemm(CudaAccelerator accelerator)
    {
        _blas = new CuBlas(accelerator);
        // The generated kernels run on the accelerator's default stream; cuBLAS must run on the same one
        // to be ordered with them.
        _blas.Stream = (CudaStream)accelerator.DefaultStream;
    }

    /// <inheritdoc />
    public GemmBackend Backend => GemmBackend.CuBlas;

    /// <inheritdoc />
    public void Gemm(bool transposeA, bool transposeB, int m, int n, int k,
        float alpha, ArrayView<float> a, ArrayView<float> b, float beta, ArrayView<float> c)
    {
        DeviceGemm.CheckOperands(m, n, k, a, b, c);
        if (m == 0 || n == 0) return;
        // Leading dimensions of the stored (row-major) matrices; cuBLAS wants at least 1 even when k is 0.
        int lda = Math.Max(1, transposeA ? m : k);
        int ldb = Math.Max(1, transposeB ? k : n);
        _blas.Gemm(
            transposeB ? CuBlasOperation.Transpose : CuBlasOperation.NonTranspose,
            transposeA ? CuBlasOperation.Transpose : CuBlasOperation.NonTranspose,
            n, m, k, alpha, b, ldb, a, lda, beta, c, n);
    }

    /// <summary>Releases the cuBLAS handle.</summary>
    public void Dispose() => _blas.Dispose();
}
