namespace GraphCompiler.Runtime.Devices;

/// <summary>The implementations behind <see cref="IDeviceGemm"/>.</summary>
public enum GemmBackend
{
    /// <summary>The tiled shared-memory ILGPU kernel (<see cref="IlgpuGemm"/>), for every non-CUDA accelerator.</summary>
    IlgpuTiled,

    /// <summary>NVIDIA's cuBLAS through ILGPU.Algorithms (<see cref="CuBlasGemm"/>), on CUDA.</summary>
    CuBlas,
}
