using GraphCompiler.Runtime.Devices;
using ILGPU;
using ILGPU.Runtime;

namespace GraphCompiler.Runtime.Tests.Devices;

/// <summary>
/// One ILGPU CPU accelerator shared by the device tests: opening it and loading each kernel are the
/// expensive parts (about 0.2 s each), so every test class of the collection reuses them. Its groups have
/// several threads, as on a GPU, so that the library's group reductions and barriers are what is tested.
/// </summary>
public sealed class IlgpuCpuFixture : IDisposable
{
    public DeviceContext Device { get; } = DeviceContext.Open(Runtime.Devices.Device.IlgpuCpu(gpuGroups: true));

    /// <summary>A device buffer holding <paramref name="values"/>; dispose it after the test.</summary>
    public MemoryBuffer1D<T, Stride1D.Dense> Upload<T>(T[] values) where T : unmanaged
    {
        // ILGPU refuses zero-length allocations on some accelerators; one spare element keeps empty
        // operands legal while the view handed to kernels stays exactly as long as the data.
        var buffer = Device.Accelerator.Allocate1D<T>(Math.Max(1, values.Length));
        if (values.Length > 0) buffer.View.SubView(0, values.Length).CopyFromCPU(values);
        return buffer;
    }

    /// <summary>The first <paramref name="length"/> elements of <paramref name="buffer"/> as a kernel view.</summary>
    public static ArrayView<T> View<T>(MemoryBuffer1D<T, Stride1D.Dense> buffer, long length) where T : unmanaged =>
        buffer.View.SubView(0, length);

    /// <summary>Waits for the device, then reads the first <paramref name="length"/> elements back.</summary>
    public T[] Download<T>(MemoryBuffer1D<T, Stride1D.Dense> buffer, int length) where T : unmanaged
    {
        Device.Synchronize();
        var values = new T[length];
        if (length > 0) buffer.View.SubView(0, length).CopyToCPU(values);
        return values;
    }

    public void Dispose() => Device.Dispose();
}

/// <summary>The device tests run one at a time on the shared accelerator.</summary>
[CollectionDefinition(Name)]
public sealed class IlgpuCpuCollection : ICollectionFixture<IlgpuCpuFixture>
{
    public const string Name = "ILGPU CPU accelerator";
}
