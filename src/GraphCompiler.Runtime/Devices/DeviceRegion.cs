namespace GraphCompiler.Runtime.Devices;

/// <summary>
/// One named range of a device allocation: elements [<see cref="Offset"/>, <see cref="Offset"/> +
/// <see cref="Length"/>) of the allocation of its <see cref="DType"/>. Persistent regions (variables,
/// optimizer slots) own their range; arena regions may share theirs with arena regions that are never
/// alive at the same time, as the memory plan decided.
/// </summary>
public sealed record DeviceRegion(string Name, DType DType, long Offset, long Length, bool Persistent)
{
    /// <summary>One past the last element.</summary>
    public long End => Offset + Length;
}
