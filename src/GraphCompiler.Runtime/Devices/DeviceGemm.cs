using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;

namespace GraphCompiler.Runtime.Devices;

/// <summary>Picks the GEMM implementation for an accelerator and checks the operands every implementation shares.</summary>
public static class DeviceGemm
{
    /// <summary>cuBLAS on CUDA (it is far faster than any kernel written here); the ILGPU tiled kernel elsewhere.</summary>
    public static GemmBackend Choose(AcceleratorType accelerator) =>
        accelerator == AcceleratorType.Cuda ? GemmBackend.CuBlas : GemmBackend.IlgpuTiled;

    internal static IDeviceGemm Create(DeviceContext device) =>
        Choose(device.Accelerator.AcceleratorType) == GemmBackend.CuBlas
            ? new CuBlasGemm((CudaAccelerator)device.Accelerator)
            : new IlgpuGemm(device);

    /// <summary>Throws when a view is shorter than its matrix or a size is negative; checked on the host because a kernel cannot throw.</summary>
    internal static void CheckOperands(int m, int n, int k, ArrayView<float> a, ArrayView<float> b, ArrayView<float> c)
    {
        if (m < 0 || n < 0 || k < 0)
            throw new ArgumentOutOfRangeException(nameof(m), $"GEMM sizes must be non-negative; got m={m}, n={n}, k={k}");
        Need("A", a, (long)m * k);
        Need("B", b, (long)k * n);
        Need("C", c, (long)m * n);
    }

    private static void Need(string name, ArrayView<float> view, long elements)
    {
        if (view.Length < elements)
            throw new ArgumentException($"GEMM operand {name} needs {elements} elements; its view has {view.Length}");
    }
}
