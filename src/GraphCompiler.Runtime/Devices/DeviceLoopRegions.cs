namespace GraphCompiler.Runtime.Devices;

/// <summary>
/// The device memory of a loop region's body: its arena (planned for one step, reused by every step), the
/// double-buffered carried states and the step buffers of gathered sequences. It lies after every region
/// of the entry point's own in that dtype, because the entry's buffers that the loop reads and writes (its
/// inputs, stacked outputs, saved activations) stay alive for the whole loop. The loops of one entry run one
/// after another and keep nothing in these regions between them, so they all start at the same place.
/// </summary>
public static class DeviceLoopRegions
{
    /// <summary>
    /// Appends the body's <paramref name="names"/> (offsets from <see cref="DeviceProgram.ArenaRegions"/>'s plan of
    /// their sizes and live ranges) and <paramref name="extra"/> buffers after the last region of
    /// <paramref name="dtype"/> among the first <paramref name="entryRegions"/> of <paramref name="regions"/> (the entry's own).
    /// </summary>
    public static void Append(List<DeviceRegion> regions, int entryRegions, DType dtype, string[] names, ReadOnlySpan<int> sizes, ReadOnlySpan<int> first, ReadOnlySpan<int> last,
        params (string Name, int Length)[] extra)
    {
        ArgumentNullException.ThrowIfNull(regions);
        long start = 0;
        foreach (var r in regions.Take(entryRegions))
            if (r.DType == dtype) start = Math.Max(start, r.End);
        var body = new List<DeviceRegion>();
        DeviceProgram.ArenaRegions(body, dtype, names, sizes, first, last, extra);
        regions.AddRange(body.Select(r => r with { Offset = start + r.Offset }));
    }
}
