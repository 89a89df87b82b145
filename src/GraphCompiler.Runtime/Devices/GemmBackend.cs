namespace GraphCompiler.Runtime.Devices;

/// <summary>The implementations behind <see cref="IDeviceGemm"/>.</summary>
public enum GemmBackend
{
    /// <summary>The tiled shared-memory ILGPU kernel (<see cref="IlgpuGemm"/>), for GPUs without cuBLAS (OpenCL).</summary>
    IlgpuTiled,

    /// <summary>The barrier-free ILGPU kernel (<see cref="IlgpuBlockedGemm"/>), for ILGPU's CPU accelerator.</summary>
    IlgpuBlocked,

    /// <summary>NVIDIA's cuBLAS through ILGPU.Algorithms (<see cref="CuBlasGemm"/>), on CUDA.</summary>
    CuBlas,
}
