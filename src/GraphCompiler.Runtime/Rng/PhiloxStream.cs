using GraphCompiler.Compiler.Random;
using GraphCompiler.Runtime.Kernels;

namespace GraphCompiler.Runtime.Rng;

/// <summary>
/// A stream of random values that is a pure function of (graph seed, op seed, step, index): the same
/// arguments give the same values on every run, at any thread count and however the fill is chunked.
/// </summary>
/// <remarks>
/// <para><b>Key.</b> The 64-bit Philox key is <c>Mix(seed ^ Mix(opSeed + γ·(domain + 1)))</c>, where Mix is the
/// SplitMix64 finaliser, γ = 0x9E3779B97F4A7C15, and domain is 0 for the plain stream (truncated-normal
/// retries use domains 1, 2, …); key word 0 is the low half.</para>
/// <para><b>Counter.</b> Value <c>i</c> is word <c>i mod 4</c> of the Philox4x32-10 block whose counter is
/// <c>(b mod 2³², b / 2³², step mod 2³², step / 2³²)</c> with <c>b = i / 4</c>.</para>
/// <para><b>Floats.</b> A word <c>w</c> becomes <c>u = (w &gt;&gt; 8) · 2⁻²⁴</c>, its 24 high bits, exactly
/// representable and in [0, 1). Uniform values are <c>min + (max − min)·u</c>, kept below max. Normal
/// values come in Box–Muller pairs from words (0, 1) and (2, 3) of a block: with
/// <c>u₁ = ((w₀ &gt;&gt; 8) + 1)·2⁻²⁴ ∈ (0, 1]</c> and <c>u₂</c> from w₁, the pair is
/// <c>√(−2 ln u₁)·(cos 2πu₂, sin 2πu₂)</c>, computed in double and rounded once.</para>
/// <para><b>Truncated normal</b> (TensorFlow's: values with |z| ≥ 2 are redrawn): element <c>i</c> draws its
/// own block at counter <c>(i, step)</c> under the retry key of domain 1, takes the first of its four
/// normals with |z| &lt; 2, and moves to domain 2, 3, … only if all four fail (p ≈ 4·10⁻⁶).</para>
/// </remarks>
public readonly struct PhiloxStream
{
    /// <summary>Fills of at least this many values are split across the kernel pool.</summary>
    internal const int ParallelThreshold = 1 << 15;

    private const int MaxTruncatedRounds = 64;

    private readonly uint _k0, _k1;

    /// <summary>The stream of <paramref name="opSeed"/> under graph seed <paramref name="seed"/> at <paramref name="step"/>.</summary>
    public PhiloxStream(ulong seed, ulong opSeed, ulong step = 0)
    {
        Seed = seed;
        OpSeed = opSeed;
        Step = step;
        (_k0, _k1) = DeriveKey(seed, opSeed, 0);
    }

    /// <summary>The graph-level seed.</summary>
    public ulong Seed { get; }

    /// <summary>The op-level seed.</summary>
    public ulong OpSeed { get; }

    /// <summary>The step (e.g. the global step for dropout), the high half of the counter.</summary>
    public ulong Step { get; }

    /// <summary>The Philox key words of the plain stream (for tests that pin the documented layout).</summary>
    internal (uint K0, uint K1) Key => (_k0, _k1);

    /// <summary>Raw 32-bit value number <paramref name="index"/> of the stream.</summary>
    public uint NextUInt32(long index)
    {
        CheckIndex(index, 1);
        return Block((ulong)index >> 2)[(int)(index & 3)];
    }

    /// <summary>Value number <paramref name="index"/> as a float in [0, 1) (its 24 high bits).</summary>
    public float Uniform(long index) => ToUnit(NextUInt32(index));

    /// <summary>Fills <paramref name="destination"/> with values <c>offset …</c> of the stream, uniform in [min, max).</summary>
    public void FillUniform(Span<float> destination, float min, float max, long offset = 0)
    {
        if (!float.IsFinite(min) || !float.IsFinite(max) || min > max)
            throw new ArgumentException($"Uniform range [{min}, {max}) must be finite with min <= max.", nameof(min));
        Fill(destination, offset, FillKind.Uniform, min, max);
    }

    /// <summary>Fills with normal values of the given mean and standard deviation (Box–Muller on value pairs).</summary>
    public void FillNormal(Span<float> destination, float mean, float std, long offset = 0)
    {
        CheckNormal(mean, std);
        Fill(destination, offset, FillKind.Normal, mean, std);
    }

    /// <summary>Fills with normal values redrawn while more than 2 standard deviations from the mean (TensorFlow's truncated normal).</summary>
    public void FillTruncatedNormal(Span<float> destination, float mean, float std, long offset = 0)
    {
        CheckNormal(mean, std);
        Fill(destination, offset, FillKind.TruncatedNormal, mean, std);
    }

    /// <summary>Dropout-style mask: 1 where value number i is below <paramref name="keepProbability"/>, else 0.</summary>
    public void FillBernoulli(Span<float> destination, float keepProbability, long offset = 0)
    {
        if (!(keepProbability >= 0f && keepProbability <= 1f))
            throw new ArgumentOutOfRangeException(nameof(keepProbability), keepProbability, "Bernoulli probability must be in [0, 1].");
        Fill(destination, offset, FillKind.Bernoulli, keepProbability, 0f);
    }

    internal static float ToUnit(uint word) => PhiloxKey.ToUnit(word);

    private PhiloxBlock Block(ulong block) => PhiloxKey.Block(block, Step, _k0, _k1);

    private enum FillKind { Uniform, Normal, TruncatedNormal, Bernoulli }

    private unsafe void Fill(Span<float> destination, long offset, FillKind kind, float p0, float p1)
    {
        CheckIndex(offset, destination.Length);
        if (destination.Length < ParallelThreshold || KernelParallel.MaxDegree == 1)
        {
            FillRange(destination, offset, kind, p0, p1);
            return;
        }

        fixed (float* dst = destination)
        {
            var job = new FillJob { Stream = this, Destination = dst, Length = destination.Length, Offset = offset, Kind = kind, P0 = p0, P1 = p1 };
            int parts = KernelParallel.MaxDegree * 4;
            // Chunks are a multiple of 4 values so most blocks are computed once, not split across chunks
            // (correctness does not depend on it: every value is a function of its own index only).
            job.Chunk = ((destination.Length + parts - 1) / parts + 3) & ~3;
            KernelParallel.For((destination.Length + job.Chunk - 1) / job.Chunk, &FillChunk, &job);
        }
    }

    private static unsafe void FillChunk(void* state, int index)
    {
        ref var job = ref *(FillJob*)state;
        int start = index * job.Chunk;
        int n = Math.Min(job.Chunk, job.Length - start);
        job.Stream.FillRange(new Span<float>(job.Destination + start, n), job.Offset + start, job.Kind, job.P0, job.P1);
    }

    /// <summary>Serial fill of values offset … offset + destination.Length − 1, one Philox block per four values.</summary>
    private void FillRange(Span<float> destination, long offset, FillKind kind, float p0, float p1)
    {
        if (kind == FillKind.TruncatedNormal)
        {
            for (int j = 0; j < destination.Length; j++) destination[j] = (float)(p0 + p1 * TruncatedNormal(offset + j));
            return;
        }

        int written = 0;
        while (written < destination.Length)
        {
            long index = offset + written;
            var block = Block((ulong)index >> 2);
            int lane = (int)(index & 3);
            int count = Math.Min(4 - lane, destination.Length - written);
            switch (kind)
            {
                case FillKind.Uniform:
                    for (int l = 0; l < count; l++) destination[written + l] = UniformValue(block[lane + l], p0, p1);
                    break;
                case FillKind.Normal:
                    for (int l = 0; l < count; l++) destination[written + l] = (float)(p0 + p1 * NormalLane(block, lane + l));
                    break;
                default:
                    for (int l = 0; l < count; l++) destination[written + l] = ToUnit(block[lane + l]) < p0 ? 1f : 0f;
                    break;
            }

            written += count;
        }
    }

    private static float UniformValue(uint word, float min, float max)
    {
        float v = min + (max - min) * ToUnit(word);
        // Rounding can land exactly on max for some ranges; the interval is half-open.
        return v < max || min == max ? v : MathF.BitDecrement(max);
    }

    /// <summary>Normal value for lane 0..3 of a block: lanes (0, 1) are one Box–Muller pair, (2, 3) the other.</summary>
    private static double NormalLane(PhiloxBlock block, int lane)
    {
        int first = lane & 2;
        uint w0 = block[first], w1 = block[first + 1];
        double u1 = ((w0 >> 8) + 1) * (1.0 / 16777216.0);
        double u2 = (w1 >> 8) * (1.0 / 16777216.0);
        double r = Math.Sqrt(-2.0 * Math.Log(u1));
        double theta = 2.0 * Math.PI * u2;
        return (lane & 1) == 0 ? r * Math.Cos(theta) : r * Math.Sin(theta);
    }

    private double TruncatedNormal(long index)
    {
        for (int round = 1; round <= MaxTruncatedRounds; round++)
        {
            var (k0, k1) = DeriveKey(Seed, OpSeed, (ulong)round);
            var block = PhiloxKey.Block((ulong)index, Step, k0, k1);
            for (int lane = 0; lane < 4; lane++)
            {
                double z = NormalLane(block, lane);
                if (Math.Abs(z) < 2.0) return z;
            }
        }

        // 256 consecutive rejections has probability about 1e-343: unreachable, but keep the result defined.
        return 0.0;
    }

    private static (uint K0, uint K1) DeriveKey(ulong seed, ulong opSeed, ulong domain) => PhiloxKey.Derive(seed, opSeed, domain);

    private static void CheckIndex(long offset, int count)
    {
        if (offset < 0 || offset > long.MaxValue - count)
            throw new ArgumentOutOfRangeException(nameof(offset), offset, "Stream offsets must be non-negative and leave room for the values requested.");
    }

    private static void CheckNormal(float mean, float std)
    {
        if (!float.IsFinite(mean)) throw new ArgumentOutOfRangeException(nameof(mean), mean, "Normal mean must be finite.");
        if (!float.IsFinite(std) || std < 0f) throw new ArgumentOutOfRangeException(nameof(std), std, "Normal standard deviation must be finite and non-negative.");
    }

    private unsafe struct FillJob
    {
        public PhiloxStream Stream;
        public float* Destination;
        public int Length, Chunk;
        public long Offset;
        public FillKind Kind;
        public float P0, P1;
    }
}
