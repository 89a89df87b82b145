using System.Globalization;
using System.Runtime.InteropServices;
using ILGPU;

namespace GraphCompiler.Runtime.Devices;

/// <summary>
/// What a generated model holds on an ILGPU device (<c>new MyModel(seed, device: Device.Cuda())</c>):
/// the device context and one allocation per dtype laid out from the model's variables (optimizer slots
/// included), its constants and the arena regions of each entry point. Variables and constants are
/// persistent regions; each entry point's arena buffers, feeds and step scalars are planned per binding
/// of its symbolic dims and share the memory after the persistent regions with the other entries'
/// (entries never run at the same time). A re-plan keeps the persistent regions' values.
/// </summary>
public sealed class DeviceProgram : IDisposable
{
    private readonly VariableSet _variables;
    private readonly List<(string Name, DType DType, long Length, Action<DeviceMemory> Upload)> _constants = new();
    private readonly Dictionary<string, IReadOnlyList<DeviceRegion>> _entries = new(StringComparer.Ordinal);

    /// <summary>Opens <paramref name="device"/> and copies <paramref name="variables"/> (their current values) onto it.</summary>
    /// <exception cref="DeviceUnavailableException">The device is not there (no CUDA driver, no GPU).</exception>
    public DeviceProgram(Device device, VariableSet variables)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(variables);
        if (!device.UsesIlgpu) throw new ArgumentException("the CPU device runs the model's host code and needs no device program", nameof(device));
        _variables = variables;
        Context = DeviceContext.Open(device);
        try
        {
            Replan();
            Memory.CopyToDevice(variables);
        }
        catch
        {
            Context.Dispose();
            throw;
        }
    }

    /// <summary>The device context: accelerator, kernels, library routines.</summary>
    public DeviceContext Context { get; }

    /// <summary>The model's memory on the device.</summary>
    public DeviceMemory Memory => Context.Memory;

    /// <summary>Counts allocations, so that entry states know when their cached views went stale.</summary>
    public int Generation { get; private set; }

    /// <summary>Threads per group of the row kernels (<see cref="DeviceContext.RowGroupSize"/>).</summary>
    public int RowGroupSize => Context.RowGroupSize;

    /// <summary>A constant of the generated code (a non-splat tensor), kept on the device as a persistent region.</summary>
    public void Constant<T>(string name, T[] values) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(values);
        // Uploaded by the next re-plan: every entry plans its regions before its first run.
        _constants.Add((name, DTypeOf<T>(), values.Length, m => m.CopyIn<T>(name, values)));
    }

    /// <summary>
    /// Plans entry <paramref name="entry"/>'s regions for a new binding of its dims: <paramref name="regions"/>
    /// have offsets relative to the start of their dtype's arena. Allocates afresh (keeping the variables and
    /// constants) and bumps <see cref="Generation"/>.
    /// </summary>
    public void Bind(string entry, IReadOnlyList<DeviceRegion> regions)
    {
        _entries[entry] = regions;
        Replan();
    }

    /// <summary>
    /// Regions for one dtype of an entry's arena: buffers at the offsets <see cref="Execution.ArenaPlanner"/>
    /// gives for their sizes and live ranges, then <paramref name="extra"/> (feeds, step scalars) after them.
    /// </summary>
    public static void ArenaRegions(List<DeviceRegion> regions, DType dtype, string[] names, ReadOnlySpan<int> sizes, ReadOnlySpan<int> first, ReadOnlySpan<int> last,
        params (string Name, int Length)[] extra)
    {
        Span<int> offsets = stackalloc int[sizes.Length];
        long end = Execution.ArenaPlanner.Plan(sizes, first, last, offsets);
        for (int i = 0; i < sizes.Length; i++) regions.Add(new DeviceRegion(names[i], dtype, offsets[i], sizes[i], Persistent: false));
        foreach (var (name, length) in extra)
        {
            regions.Add(new DeviceRegion(name, dtype, end, length, Persistent: false));
            end += length;
        }
    }

    /// <summary>The region <paramref name="name"/> as a kernel view.</summary>
    public ArrayView<T> View<T>(string name) where T : unmanaged => Memory.View<T>(name);

    /// <summary>Copies a host scalar (a step's learning rate, a scalar feed) into a one-element region.</summary>
    public void CopyIn<T>(string name, T value) where T : unmanaged => Memory.CopyIn(name, MemoryMarshal.CreateReadOnlySpan(ref value, 1));

    /// <summary>Copies a one-element region to the host (a fetched loss), waiting for the kernels before it.</summary>
    public T ReadScalar<T>(string name) where T : unmanaged
    {
        T value = default;
        Memory.CopyOut(name, MemoryMarshal.CreateSpan(ref value, 1));
        return value;
    }

    /// <summary>Copies a region to a new host array (a fetched tensor).</summary>
    public T[] Read<T>(string name) where T : unmanaged
    {
        var values = new T[Memory.Plan[name].Length];
        Memory.CopyOut<T>(name, values);
        return values;
    }

    /// <summary>Copies the device values of every variable into the host variables (before a save, or to inspect them).</summary>
    public void CopyVariablesToHost() => Memory.CopyToHost(_variables);

    /// <summary>Copies the host variables onto the device (after a restore, or after editing them on the host).</summary>
    public void CopyVariablesToDevice() => Memory.CopyToDevice(_variables);

    /// <summary>The device, its one-off costs (opening it, loading each kernel) and the memory held.</summary>
    public string Report() =>
        Context.Report() + string.Create(CultureInfo.InvariantCulture, $"\n{Memory.AllocatedBytes} bytes on the device");

    /// <summary>Frees the device memory and the context.</summary>
    public void Dispose() => Context.Dispose();

    private void Replan()
    {
        var persistent = _variables.Select(v => (v.Name, v.DType, (long)v.ElementCount))
            .Concat(_constants.Select(c => (c.Name, c.DType, c.Length)));
        var plan = DeviceMemoryPlan.Layout(persistent, _entries.Values.SelectMany(r => r));
        bool fresh = Context.HasMemory is false;
        var known = fresh ? new HashSet<string>() : Memory.Plan.Regions.Select(r => r.Name).ToHashSet();
        var memory = Context.Allocate(plan);
        foreach (var c in _constants)
            if (!known.Contains(c.Name)) c.Upload(memory);
        Generation++;
    }

    private static DType DTypeOf<T>() =>
        typeof(T) == typeof(float) ? DType.Float32
        : typeof(T) == typeof(double) ? DType.Float64
        : typeof(T) == typeof(int) ? DType.Int32
        : typeof(T) == typeof(long) ? DType.Int64
        : typeof(T) == typeof(byte) || typeof(T) == typeof(bool) ? DType.Bool
        : throw new NotSupportedException($"no device dtype for {typeof(T).Name}");
}
