namespace GraphCompiler.Compiler.Random;

/// <summary>
/// TensorFlow's <c>log_uniform_candidate_sampler</c> with <c>unique=True</c>, drawn from the
/// counter-based Philox stream of (graph seed, op seed, step) so that the generated kernel and the
/// reference interpreter produce the very same candidates. Over ids 0 … R − 1 (frequency-sorted),
/// P(k) = log((k + 2)/(k + 1)) / log(R + 1); a draw is ⌊exp(u · log(R + 1))⌋ − 1 for u uniform in
/// [0, 1) with 53 bits taken from two consecutive words of the stream. Draws repeat until
/// <c>numSampled</c> distinct ids are seen; the number of draws ("tries") feeds the expected counts.
/// It lives here (netstandard2.0) for the same reason as <see cref="Philox4x32"/>.
/// </summary>
public static class LogUniformCandidates
{
    /// <summary>The stream domain of the sampler, distinct from dropout's (0) and the initializers'.</summary>
    public const ulong Domain = 0x53414D504C45UL;

    /// <summary>
    /// Fills <paramref name="into"/> (length = number sampled, at most <paramref name="rangeMax"/>)
    /// with distinct ids in draw order and returns the number of draws made.
    /// </summary>
    public static int Draw(int rangeMax, ulong graphSeed, ulong opSeed, ulong step, int[] into)
    {
        if (rangeMax < 1) throw new ArgumentOutOfRangeException(nameof(rangeMax), rangeMax, "the sampler needs at least one class");
        int wanted = into.Length;
        if (wanted > rangeMax) throw new ArgumentException($"cannot draw {wanted} distinct ids from {rangeMax} classes", nameof(into));
        var (k0, k1) = PhiloxKey.Derive(graphSeed, opSeed, Domain);
        double logRange = Math.Log(rangeMax + 1.0);
        int found = 0, tries = 0;
        while (found < wanted)
        {
            var block = PhiloxKey.Block((ulong)tries >> 1, step, k0, k1);
            int w = (tries & 1) * 2;
            ulong bits = ((ulong)(block[w] >> 5) << 26) | (block[w + 1] >> 6);
            double u = bits * (1.0 / (1UL << 53));
            long id = (long)Math.Exp(u * logRange) - 1;
            // exp(u·log(R+1)) < R+1 for u < 1, but rounding may reach R: fold it onto R − 1.
            int candidate = (int)Math.Min(id, rangeMax - 1);
            tries++;
            // numSampled is small (tens): a linear scan beats a set and allocates nothing.
            bool seen = false;
            for (int i = 0; i < found && !seen; i++) seen = into[i] == candidate;
            if (!seen) into[found++] = candidate;
        }
        return tries;
    }
}
