namespace GraphCompiler.Compiler.Random;

/// <summary>Four 32-bit words: one Philox counter or output block.</summary>
public readonly record struct PhiloxBlock(uint X0, uint X1, uint X2, uint X3)
{
    /// <summary>Word <paramref name="i"/> (0..3).</summary>
    public uint this[int i] => (i & 3) switch { 0 => X0, 1 => X1, 2 => X2, _ => X3 };
}

/// <summary>
/// The Philox4x32-10 counter-based bijection of Salmon, Moraes, Dror and Shaw, "Parallel Random Numbers:
/// As Easy as 1, 2, 3" (SC'11): a 128-bit counter and a 64-bit key map to 128 random bits by ten rounds of
/// two 32×32→64-bit multiplies, xors and a Weyl key schedule. Being a pure function of (counter, key),
/// any value can be computed independently, which is what makes parallel and chunked fills reproducible.
/// It lives in the compiler (netstandard2.0) so that the reference interpreter and the runtime's kernels
/// draw the very same bits: a random op's reference evaluation reproduces the generated code exactly.
/// </summary>
public static class Philox4x32
{
    /// <summary>Round multiplier applied to counter word 0.</summary>
    public const uint M0 = 0xD2511F53;

    /// <summary>Round multiplier applied to counter word 2.</summary>
    public const uint M1 = 0xCD9E8D57;

    /// <summary>Weyl increment of key word 0 between rounds (golden ratio).</summary>
    public const uint W0 = 0x9E3779B9;

    /// <summary>Weyl increment of key word 1 between rounds (√3 − 1).</summary>
    public const uint W1 = 0xBB67AE85;

    /// <summary>Number of rounds (the "-10" of Philox4x32-10).</summary>
    public const int Rounds = 10;

    /// <summary>Encrypts the counter (c0..c3) under the key (k0, k1).</summary>
    public static PhiloxBlock Compute(uint c0, uint c1, uint c2, uint c3, uint k0, uint k1)
    {
        for (int round = 0; round < Rounds; round++)
        {
            if (round > 0)
            {
                k0 += W0;
                k1 += W1;
            }

            ulong p0 = (ulong)M0 * c0;
            ulong p1 = (ulong)M1 * c2;
            uint hi0 = (uint)(p0 >> 32), lo0 = (uint)p0;
            uint hi1 = (uint)(p1 >> 32), lo1 = (uint)p1;
            c0 = hi1 ^ c1 ^ k0;
            c1 = lo1;
            c2 = hi0 ^ c3 ^ k1;
            c3 = lo0;
        }

        return new PhiloxBlock(c0, c1, c2, c3);
    }

    /// <summary>Encrypts <paramref name="counter"/> (4 words) under <paramref name="key"/> (2 words) into <paramref name="output"/> (4 words).</summary>
    public static void Compute(uint[] counter, uint[] key, uint[] output)
    {
        if (counter is null || counter.Length != 4) throw new ArgumentException($"Philox4x32 needs a 4-word counter, got {counter?.Length ?? 0}.", nameof(counter));
        if (key is null || key.Length != 2) throw new ArgumentException($"Philox4x32 needs a 2-word key, got {key?.Length ?? 0}.", nameof(key));
        if (output is null || output.Length != 4) throw new ArgumentException($"Philox4x32 writes 4 words, got room for {output?.Length ?? 0}.", nameof(output));
        var block = Compute(counter[0], counter[1], counter[2], counter[3], key[0], key[1]);
        output[0] = block.X0;
        output[1] = block.X1;
        output[2] = block.X2;
        output[3] = block.X3;
    }
}
