namespace GraphCompiler.Runtime.Text;

/// <summary>
/// The SplitMix64 generator (Steele, Lea and Flood, 2014): a 64-bit counter advanced by the golden
/// ratio and scrambled. Small, fast, and the same sequence on every platform and .NET version,
/// which <see cref="System.Random"/> with a seed does not promise.
/// </summary>
internal sealed class SplitMix64(ulong seed)
{
    private ulong _state = seed;

    public ulong NextUInt64()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [0, <paramref name="bound"/>), by Lemire's multiply-shift (bias below 2^-32).</summary>
    public int NextInt(int bound) => (int)(((NextUInt64() >> 32) * (ulong)bound) >> 32);
}
