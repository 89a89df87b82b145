namespace GraphCompiler.Runtime.Devices;

/// <summary>
/// Where every buffer of a model lives on its device: named regions in one allocation per dtype
/// (variables, optimizer slots and the planned arena). Offsets come from the caller (the generated code's
/// memory plan); this class only checks them and answers look-ups.
/// </summary>
public sealed class DeviceMemoryPlan
{
    /// <summary>
    /// Persistent regions laid out by <see cref="Layout"/> start at multiples of this many bytes, so that
    /// every variable is aligned for vector loads and for cuBLAS, whatever the lengths before it.
    /// </summary>
    public const int AlignmentBytes = 256;

    private readonly Dictionary<string, DeviceRegion> _byName = new(StringComparer.Ordinal);
    private readonly List<DeviceRegion> _regions = new();

    /// <summary>Checks <paramref name="regions"/>: unique names, non-negative ranges, persistent regions overlapping nothing.</summary>
    /// <exception cref="ArgumentException">A region breaks one of those rules; the message names it.</exception>
    public DeviceMemoryPlan(IEnumerable<DeviceRegion> regions)
    {
        ArgumentNullException.ThrowIfNull(regions);
        foreach (var region in regions)
        {
            if (region.Offset < 0 || region.Length < 0)
                throw new ArgumentException($"device region '{region.Name}' has offset {region.Offset} and length {region.Length}; both must be non-negative", nameof(regions));
            if (!_byName.TryAdd(region.Name, region))
                throw new ArgumentException($"device region '{region.Name}' is planned twice", nameof(regions));
            _regions.Add(region);
        }
        CheckPersistentOverlaps();
    }

    /// <summary>All regions, in the order given.</summary>
    public IReadOnlyList<DeviceRegion> Regions => _regions;

    /// <summary>The region with this name; throws naming the known ones otherwise.</summary>
    public DeviceRegion this[string name] =>
        _byName.TryGetValue(name, out var region)
            ? region
            : throw new KeyNotFoundException($"the device memory plan has no region '{name}'; it has: {string.Join(", ", _byName.Keys)}");

    /// <summary>True when a region of this name is planned.</summary>
    public bool Contains(string name) => _byName.ContainsKey(name);

    /// <summary>The number of elements the allocation of <paramref name="dtype"/> needs (0 when no region has it).</summary>
    public long Length(DType dtype)
    {
        long length = 0;
        foreach (var region in _regions)
            if (region.DType == dtype) length = Math.Max(length, region.End);
        return length;
    }

    /// <summary>
    /// Lays out <paramref name="persistent"/> buffers one after another per dtype (each aligned to
    /// <see cref="AlignmentBytes"/>), then places <paramref name="arena"/> regions, whose offsets are
    /// relative to the start of their dtype's arena, after the persistent ones of the same dtype.
    /// </summary>
    public static DeviceMemoryPlan Layout(IEnumerable<(string Name, DType DType, long Length)> persistent, IEnumerable<DeviceRegion>? arena = null)
    {
        ArgumentNullException.ThrowIfNull(persistent);
        var regions = new List<DeviceRegion>();
        var next = new Dictionary<DType, long>();
        foreach (var (name, dtype, length) in persistent)
        {
            var offset = AlignUp(next.GetValueOrDefault(dtype), dtype);
            regions.Add(new DeviceRegion(name, dtype, offset, length, Persistent: true));
            next[dtype] = offset + length;
        }
        foreach (var region in arena ?? [])
        {
            var arenaStart = AlignUp(next.GetValueOrDefault(region.DType), region.DType);
            regions.Add(region with { Offset = arenaStart + region.Offset, Persistent = false });
        }
        return new DeviceMemoryPlan(regions);
    }

    /// <summary>
    /// <see cref="Layout"/> with every variable of <paramref name="variables"/> (weights, optimizer slots,
    /// <c>global_step</c>) as a persistent region named after it.
    /// </summary>
    public static DeviceMemoryPlan ForVariables(VariableSet variables, IEnumerable<DeviceRegion>? arena = null)
    {
        ArgumentNullException.ThrowIfNull(variables);
        return Layout(variables.Select(v => (v.Name, v.DType, (long)v.ElementCount)), arena);
    }

    private static long AlignUp(long offset, DType dtype)
    {
        long step = Math.Max(1, AlignmentBytes / DeviceElement.Size(dtype));
        return (offset + step - 1) / step * step;
    }

    private void CheckPersistentOverlaps()
    {
        foreach (var group in _regions.Where(r => r.Length > 0).GroupBy(r => r.DType))
        {
            var sorted = group.OrderBy(r => r.Offset).ToList();
            for (int i = 0; i < sorted.Count; i++)
                for (int j = i + 1; j < sorted.Count && sorted[j].Offset < sorted[i].End; j++)
                    if (sorted[i].Persistent || sorted[j].Persistent)
                        throw new ArgumentException(
                            $"device regions '{sorted[i].Name}' [{sorted[i].Offset}, {sorted[i].End}) and '{sorted[j].Name}' [{sorted[j].Offset}, {sorted[j].End}) overlap, and a variable's region may share its memory with nothing");
        }
    }
}
