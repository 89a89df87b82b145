namespace GraphCompiler.Runtime.Devices;

/// <summary>Where a model's variables live and its kernels run.</summary>
public enum DeviceKind
{
    /// <summary>The host: today's generated SIMD C# kernels over managed arrays.</summary>
    Cpu,

    /// <summary>An NVIDIA GPU through ILGPU's CUDA back end (PTX compiled at run time; only the driver is needed).</summary>
    Cuda,

    /// <summary>ILGPU's CPU accelerator: the GPU code path simulated on the host, for tests and machines without a GPU.</summary>
    IlgpuCpu,
}
