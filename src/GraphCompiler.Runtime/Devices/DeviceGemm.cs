using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;

namespace GraphCompiler.Runtime.Devices;

/// <summary>Picks the GEMM implementation for an accelerator and checks the operands every implementation shares.</summary>
public static class DeviceGemm
{
    /// <summary>
    /// cuBLAS on CUDA (it is far faster than any kernel written here); on ILGPU's CPU accelerator the
    /// barrier-free kernel (its simulated threads are host threads, and the tiled kernel's barriers
    /// dominate there); the tiled shared-memory kernel on other accelerators (OpenCL GPUs).
    /// </summary>
    public static GemmBackend Choose(AcceleratorType accelerator) => accelerator switch
    {
        AcceleratorType.Cuda => GemmBackend.CuBlas,
        AcceleratorType.CPU => GemmBackend.IlgpuBlocked,
        _ => GemmBackend.IlgpuTiled,
    };

    internal static IDeviceGemm Create(DeviceContext device) => Choose(device.Accelerator.AcceleratorType) switch
    {
        GemmBackend.CuBlas => new CuBlasGemm((CudaAccelerator)device.Accelerator),
        GemmBackend.IlgpuBlocked => new IlgpuBlockedGemm(device),
        _ => new IlgpuGemm(device),
    };

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
