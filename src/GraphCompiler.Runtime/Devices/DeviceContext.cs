using System.Diagnostics;
using System.Globalization;
using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;

namespace GraphCompiler.Runtime.Devices;

/// <summary>
/// Everything one model instance holds on an ILGPU device: the ILGPU context and accelerator (created
/// with ILGPU.Algorithms enabled), the model's memory (<see cref="Memory"/>), its loaded kernels
/// (<see cref="Kernels"/>) and the library kernels generated code calls (<see cref="Gemm"/>,
/// <see cref="Reductions"/>, <see cref="Rows"/>). All work runs on the accelerator's default stream.
/// </summary>
public sealed class DeviceContext : IDisposable
{
    /// <summary>
    /// The simulated GPU behind <see cref="Devices.Device.IlgpuCpu"/>: ILGPU's default of 4 warps of 4 threads,
    /// so that the shared-memory tiles and group reductions run with groups larger than one warp, as they do on
    /// a GPU (with <see cref="Devices.Device.GpuGroups"/>). Every simulated thread of a group is a host thread
    /// that meets the others at each barrier; larger groups (64 threads were tried) make a busy 2-core host
    /// crawl through the barriers of GEMM tiles and row reductions, and by default groups are one thread.
    /// </summary>
    private static readonly CPUDevice SimulatedGpu = new(numThreadsPerWarp: 4, numWarpsPerMultiprocessor: 4, numMultiprocessors: 1);

    /// <summary>
    /// The simulated device when every group is one thread: the fewest host threads ILGPU allows (a warp is
    /// at least 2). Each launch wakes every thread of the device and waits for all of them, so the 16 threads
    /// of <see cref="SimulatedGpu"/> would cost a launch about 3× more while only one of them works.
    /// </summary>
    private static readonly CPUDevice SingleThreadGroups = new(numThreadsPerWarp: 2, numWarpsPerMultiprocessor: 1, numMultiprocessors: 1);

    private readonly Context _context;
    private DeviceMemory? _memory;
    private IDeviceGemm? _gemm;
    private RowReductions? _reductions;
    private RowIndexing? _rows;
    private DeviceLibrary? _library;

    private DeviceContext(Device device, Context context, Accelerator accelerator, TimeSpan openTime)
    {
        Device = device;
        _context = context;
        Accelerator = accelerator;
        OpenTime = openTime;
        // One thread per group where groups are host threads (see Device.GpuGroups); 256 threads cover a row
        // in a few strides on a GPU without leaving most of them idle on short rows.
        RowGroupSize = device.GpuGroups ? Math.Min(Math.Min(256, GroupReduce.MaxGroupSize), accelerator.MaxNumThreadsPerGroup) : 1;
        Kernels = new KernelCache(accelerator, flatGroupSize: device.GpuGroups ? null : 1);
    }

    /// <summary>
    /// Opens <paramref name="device"/> (<see cref="DeviceKind.Cuda"/> or <see cref="DeviceKind.IlgpuCpu"/>).
    /// </summary>
    /// <exception cref="DeviceUnavailableException">No CUDA driver, no GPU, or no GPU with that ordinal; the message says which.</exception>
    /// <exception cref="ArgumentException"><paramref name="device"/> is the host, which needs no device context.</exception>
    public static DeviceContext Open(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        var clock = Stopwatch.StartNew();
        switch (device.Kind)
        {
            case DeviceKind.IlgpuCpu:
            {
                var simulated = device.GpuGroups ? SimulatedGpu : SingleThreadGroups;
                var context = Context.Create(b => b.CPU(simulated).EnableAlgorithms().Optimize(OptimizationLevel.O2));
                // Parallel: the simulated threads of a group run on host threads at once (Auto picks the
                // same on a multi-core machine; Sequential is much slower).
                var accelerator = simulated.CreateCPUAccelerator(context, CPUAcceleratorMode.Parallel);
                return new DeviceContext(device, context, accelerator, clock.Elapsed);
            }
            case DeviceKind.Cuda:
            {
                // Checked first: without the driver ILGPU silently finds no device, and the two causes
                // (no driver, no GPU) need different fixes.
                if (!CudaAvailability.DriverLoads())
                    throw new DeviceUnavailableException(device, CudaAvailability.Problem(driverLoads: false, 0, device.Ordinal)!);
                var context = Context.Create(b => b.Cuda().EnableAlgorithms().Optimize(OptimizationLevel.O2));
                try
                {
                    if (CudaAvailability.Problem(true, context.GetCudaDevices().Count, device.Ordinal) is { } noDevice)
                        throw new DeviceUnavailableException(device, noDevice);
                    var accelerator = context.GetCudaDevice(device.Ordinal).CreateCudaAccelerator(context);
                    return new DeviceContext(device, context, accelerator, clock.Elapsed);
                }
                catch
                {
                    context.Dispose();
                    throw;
                }
            }
            default:
                throw new ArgumentException("the CPU device runs generated kernels on host arrays and needs no device context", nameof(device));
        }
    }

    /// <summary>The device this context was opened for.</summary>
    public Device Device { get; }

    /// <summary>The ILGPU accelerator; generated code launches its kernels here.</summary>
    public Accelerator Accelerator { get; }

    /// <summary>The accelerator's name as the driver reports it (e.g. the GPU model).</summary>
    public string Name => Accelerator.Name;

    /// <summary>How long creating the ILGPU context and accelerator took (a one-off cost, reported with the kernel loads).</summary>
    public TimeSpan OpenTime { get; }

    /// <summary>
    /// Threads per group of kernels launched one group per row (generated row kernels, row reductions):
    /// 256 on a GPU (or the accelerator's limit), 1 on ILGPU's CPU accelerator unless the device asks for
    /// <see cref="Devices.Device.GpuGroups"/>. The kernels stride over the row by the group's size, so they
    /// are correct for any size.
    /// </summary>
    public int RowGroupSize { get; }

    /// <summary>The kernels loaded for this model instance, each compiled once, with their load times.</summary>
    public KernelCache Kernels { get; }

    /// <summary>The model's memory; <see cref="Allocate"/> must have been called.</summary>
    public DeviceMemory Memory => _memory ?? throw new InvalidOperationException("no device memory yet: call Allocate with the model's memory plan first");

    /// <summary>
    /// Allocates memory for <paramref name="plan"/>. Called again (the arena grows when symbolic dims are
    /// bound anew), it allocates afresh, keeps the values of persistent regions planned in both with the
    /// same dtype and length, and frees the old memory.
    /// </summary>
    public DeviceMemory Allocate(DeviceMemoryPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var memory = new DeviceMemory(Accelerator, plan);
        if (_memory is { } old)
        {
            memory.CopyPersistentFrom(old);
            old.Dispose();
        }
        return _memory = memory;
    }

    /// <summary>Matrix multiplication: cuBLAS on CUDA, an ILGPU kernel elsewhere (<see cref="DeviceGemm.Choose"/>).</summary>
    public IDeviceGemm Gemm => _gemm ??= DeviceGemm.Create(this);

    /// <summary>Sum and max along the rows of a matrix.</summary>
    public RowReductions Reductions => _reductions ??= new RowReductions(this);

    /// <summary>Gathers rows of a table and scatter-adds into them (embeddings and their gradients).</summary>
    public RowIndexing Rows => _rows ??= new RowIndexing(this);

    /// <summary>The layout, reduction, gather and fill routines of ops that are not fused kernels.</summary>
    public DeviceLibrary Library => _library ??= new DeviceLibrary(this);

    /// <summary>True once <see cref="Allocate"/> has been called.</summary>
    public bool HasMemory => _memory is not null;

    /// <summary>Waits until everything launched so far has finished.</summary>
    public void Synchronize() => Accelerator.Synchronize();

    /// <summary>The device and its one-off costs so far: opening it and loading each kernel.</summary>
    public string Report() =>
        string.Create(CultureInfo.InvariantCulture, $"device {Device} ({Name}): opened in {OpenTime.TotalMilliseconds:F0} ms; ") + Kernels.Report();

    /// <summary>Frees the memory, the library handles, the accelerator and the context.</summary>
    public void Dispose()
    {
        _memory?.Dispose();
        _memory = null;
        (_gemm as IDisposable)?.Dispose();
        _gemm = null;
        _library?.Dispose();
        _library = null;
        Accelerator.Dispose();
        _context.Dispose();
    }
}
