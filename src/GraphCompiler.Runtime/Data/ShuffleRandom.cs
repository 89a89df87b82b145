namespace GraphCompiler.Runtime.Data;

/// <summary>
/// SplitMix64: a tiny generator with a fixed, documented output sequence. System.Random's sequence is an
/// implementation detail of the framework; shuffles must repeat exactly across runtimes and machines.
/// </summary>
internal struct ShuffleRandom(ulong seed)
{
    private ulong _state = seed;

    /// <summary>The generator for pass <paramref name="pass"/> of a dataset shuffled with <paramref name="seed"/>.</summary>
    public static ShuffleRandom ForPass(ulong seed, long pass) =>
        new(Mix(Mix(seed) ^ Mix(unchecked((ulong)pass + 0x632BE59BD9B4E019UL))));

    public ulong NextUInt64()
    {
        _state = unchecked(_state + 0x9E3779B97F4A7C15UL);
        return Mix(_state);
    }

    /// <summary>Uniform in [0, <paramref name="bound"/>), without modulo bias (Lemire's multiply-and-reject).</summary>
    public int NextInt(int bound)
    {
        ulong n = (ulong)bound;
        UInt128 product = (UInt128)NextUInt64() * n;
        ulong low = (ulong)product;
        if (low < n)
        {
            ulong threshold = unchecked(0UL - n) % n;
            while (low < threshold)
            {
                product = (UInt128)NextUInt64() * n;
                low = (ulong)product;
            }
        }
        return (int)(ulong)(product >> 64);
    }

    private static ulong Mix(ulong z)
    {
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }
}
