namespace GraphCompiler.Compiler.Random;

/// <summary>
/// The key schedule and counter layout shared by every seeded random stream (initializers, dropout):
/// the 64-bit Philox key is <c>Mix(seed ^ Mix(opSeed + γ·(domain + 1)))</c>, Mix the SplitMix64
/// finaliser and γ = 0x9E3779B97F4A7C15; key word 0 is the low half. Value <c>i</c> of a stream at
/// <c>step</c> is word <c>i mod 4</c> of the block whose counter is
/// <c>(b mod 2³², b / 2³², step mod 2³², step / 2³²)</c> with <c>b = i / 4</c>.
/// </summary>
public static class PhiloxKey
{
    /// <summary>The key words of the stream of <paramref name="opSeed"/> under <paramref name="seed"/> in <paramref name="domain"/> (0 for the plain stream).</summary>
    public static (uint K0, uint K1) Derive(ulong seed, ulong opSeed, ulong domain)
    {
        ulong key = Mix(seed ^ Mix(opSeed + 0x9E3779B97F4A7C15UL * (domain + 1)));
        return ((uint)key, (uint)(key >> 32));
    }

    /// <summary>The block holding values <c>4·block … 4·block + 3</c> of a stream keyed (k0, k1) at <paramref name="step"/>.</summary>
    public static PhiloxBlock Block(ulong block, ulong step, uint k0, uint k1) =>
        Philox4x32.Compute((uint)block, (uint)(block >> 32), (uint)step, (uint)(step >> 32), k0, k1);

    /// <summary>A word as a value in [0, 1): its 24 high bits times 2⁻²⁴, exact in float and double.</summary>
    public static float ToUnit(uint word) => (word >> 8) * (1f / 16777216f);

    /// <summary>SplitMix64's finaliser: a bijection on 64-bit values with full avalanche.</summary>
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
