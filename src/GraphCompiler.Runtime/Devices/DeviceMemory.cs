using System.Runtime.InteropServices;
using ILGPU;
using ILGPU.Runtime;

namespace GraphCompiler.Runtime.Devices;

/// <summary>
/// A model's memory on its device: one zero-initialised allocation per dtype holding every region of a
/// <see cref="DeviceMemoryPlan"/> (variables, optimizer slots, the arena). Regions are addressed by name;
/// generated code resolves each view once and passes views to kernels. Copies run on the accelerator's
/// default stream, so they are ordered with the kernels launched there and return when complete.
/// </summary>
public sealed class DeviceMemory : IDisposable
{
    private readonly Accelerator _accelerator;
    private readonly Dictionary<DType, MemoryBuffer> _buffers = new();

    internal DeviceMemory(Accelerator accelerator, DeviceMemoryPlan plan)
    {
        _accelerator = accelerator;
        Plan = plan;
        try
        {
            foreach (var dtype in Enum.GetValues<DType>())
            {
                var length = plan.Length(dtype);
                if (length == 0) continue;
                MemoryBuffer buffer = dtype switch
                {
                    DType.Float32 => accelerator.Allocate1D<float>(length),
                    DType.Float64 => accelerator.Allocate1D<double>(length),
                    DType.Int32 => accelerator.Allocate1D<int>(length),
                    DType.Int64 => accelerator.Allocate1D<long>(length),
                    _ => accelerator.Allocate1D<byte>(length),
                };
                _buffers.Add(dtype, buffer);
                buffer.AsRawArrayView().MemSetToZero();
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The plan this memory was allocated for.</summary>
    public DeviceMemoryPlan Plan { get; }

    /// <summary>Bytes allocated on the device, all dtypes together.</summary>
    public long AllocatedBytes => _buffers.Values.Sum(b => b.LengthInBytes);

    /// <summary>
    /// The region <paramref name="name"/> as a typed view. <typeparamref name="T"/> must be the region's
    /// device element type (<see cref="DeviceElement.Of"/>: <c>byte</c> for bool).
    /// </summary>
    public ArrayView<T> View<T>(string name) where T : unmanaged
    {
        var region = Plan[name];
        if (DeviceElement.Of(region.DType) != typeof(T))
            throw new ArgumentException($"device region '{name}' holds {region.DType} (device element {DeviceElement.Of(region.DType).Name}), not {typeof(T).Name}", nameof(name));
        return RawView(region).Cast<T>();
    }

    /// <summary>Copies <paramref name="values"/> (a feed, initial values) into region <paramref name="name"/>; lengths must match.</summary>
    public void CopyIn<T>(string name, ReadOnlySpan<T> values) where T : unmanaged
    {
        var bytes = MemoryMarshal.AsBytes(values);
        var target = CheckedBytes(name, bytes.Length);
        if (bytes.Length > 0) target.CopyFromCPU(bytes);
    }

    /// <summary>Copies region <paramref name="name"/> (a fetch, a variable) into <paramref name="destination"/>; lengths must match.</summary>
    public void CopyOut<T>(string name, Span<T> destination) where T : unmanaged
    {
        var bytes = MemoryMarshal.AsBytes(destination);
        var source = CheckedBytes(name, bytes.Length);
        if (bytes.Length > 0) source.CopyToCPU(bytes);
    }

    /// <summary>Copies region <paramref name="source"/> into region <paramref name="target"/> on the device; dtypes and lengths must match.</summary>
    public void Copy(string source, string target)
    {
        var from = Plan[source];
        var to = Plan[target];
        if (from.DType != to.DType || from.Length != to.Length)
            throw new ArgumentException($"cannot copy device region '{source}' ({from.DType} x {from.Length}) into '{target}' ({to.DType} x {to.Length})");
        if (from.Length > 0) RawView(from).CopyTo(RawView(to));
    }

    /// <summary>Copies every persistent region that <paramref name="other"/> also plans with the same dtype and length (variables kept across a re-plan).</summary>
    internal void CopyPersistentFrom(DeviceMemory other)
    {
        foreach (var region in Plan.Regions)
        {
            if (!region.Persistent || region.Length == 0 || !other.Plan.Contains(region.Name)) continue;
            var old = other.Plan[region.Name];
            if (old.Persistent && old.DType == region.DType && old.Length == region.Length)
                other.RawView(old).CopyTo(RawView(region));
        }
    }

    /// <summary>Releases the device allocations.</summary>
    public void Dispose()
    {
        foreach (var buffer in _buffers.Values) buffer.Dispose();
        _buffers.Clear();
    }

    private ArrayView<byte> CheckedBytes(string name, int byteLength)
    {
        var region = Plan[name];
        var expected = region.Length * DeviceElement.Size(region.DType);
        if (byteLength != expected)
            throw new ArgumentException($"device region '{name}' holds {region.Length} {region.DType} elements ({expected} bytes); got {byteLength} bytes", nameof(name));
        return RawView(region);
    }

    private ArrayView<byte> RawView(DeviceRegion region)
    {
        if (region.Length == 0) return ArrayView<byte>.Empty;
        ObjectDisposedException.ThrowIf(_buffers.Count == 0, this);
        int size = DeviceElement.Size(region.DType);
        return _buffers[region.DType].AsRawArrayView(region.Offset * size, region.Length * size);
    }
}
