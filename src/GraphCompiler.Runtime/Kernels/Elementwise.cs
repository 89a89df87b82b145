using System.Numerics.Tensors;

namespace GraphCompiler.Runtime.Kernels;

/// <summary>
/// Vectorised elementwise arithmetic on same-length spans (and span-with-scalar forms), on top of
/// <see cref="TensorPrimitives"/> (which picks AVX-512/AVX2/scalar itself). The destination must be at
/// least as long as the inputs; only the first <c>x.Length</c> elements are written. A destination may be
/// one of the inputs (in-place), but must not partially overlap one.
/// </summary>
/// <remarks>
/// Spans of at least <see cref="ParallelThreshold"/> elements are cut into cache-line-aligned chunks run on
/// the kernel pool. Elementwise work is memory-bound, so this only pays for large tensors.
/// </remarks>
public static unsafe class Elementwise
{
    /// <summary>Spans at least this long are split across threads.</summary>
    internal const int ParallelThreshold = 1 << 17;

    private const int ChunkAlign = 16; // 64 bytes of floats

    /// <summary>z = x + y.</summary>
    public static void Add(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> z) => Binary(BinaryOp.Add, x, y, z);

    /// <summary>z = x − y.</summary>
    public static void Sub(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> z) => Binary(BinaryOp.Sub, x, y, z);

    /// <summary>z = x · y.</summary>
    public static void Mul(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> z) => Binary(BinaryOp.Mul, x, y, z);

    /// <summary>z = x / y (IEEE: division by zero gives ±∞ or NaN).</summary>
    public static void Div(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> z) => Binary(BinaryOp.Div, x, y, z);

    /// <summary>z = x + s.</summary>
    public static void Add(ReadOnlySpan<float> x, float s, Span<float> z) => Scalar(ScalarOp.Add, x, s, z);

    /// <summary>z = x − s.</summary>
    public static void Sub(ReadOnlySpan<float> x, float s, Span<float> z) => Scalar(ScalarOp.Sub, x, s, z);

    /// <summary>z = s − x.</summary>
    public static void Sub(float s, ReadOnlySpan<float> x, Span<float> z) => Scalar(ScalarOp.SubFrom, x, s, z);

    /// <summary>z = x · s.</summary>
    public static void Mul(ReadOnlySpan<float> x, float s, Span<float> z) => Scalar(ScalarOp.Mul, x, s, z);

    /// <summary>z = x / s.</summary>
    public static void Div(ReadOnlySpan<float> x, float s, Span<float> z) => Scalar(ScalarOp.Div, x, s, z);

    /// <summary>z = s / x.</summary>
    public static void Div(float s, ReadOnlySpan<float> x, Span<float> z) => Scalar(ScalarOp.DivInto, x, s, z);

    /// <summary>y = s · x.</summary>
    public static void Scale(ReadOnlySpan<float> x, float s, Span<float> y) => Scalar(ScalarOp.Mul, x, s, y);

    /// <summary>y += a · x (BLAS axpy; the SGD update is <c>Axpy(-learningRate, grad, weights)</c>).</summary>
    public static void Axpy(float a, ReadOnlySpan<float> x, Span<float> y)
    {
        if (x.Length != y.Length)
            throw new ArgumentException($"Axpy: x has {x.Length} elements but y has {y.Length}.", nameof(y));
        CheckAliasing(x, y, nameof(x));
        Scalar(ScalarOp.Axpy, x, a, y);
    }

    /// <summary>Sets every element of <paramref name="y"/> to <paramref name="value"/>.</summary>
    public static void Fill(Span<float> y, float value) => y.Fill(value);

    private enum BinaryOp { Add, Sub, Mul, Div }

    private enum ScalarOp { Add, Sub, SubFrom, Mul, Div, DivInto, Axpy }

    private static void Binary(BinaryOp op, ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> z)
    {
        if (x.Length != y.Length)
            throw new ArgumentException($"Elementwise {op}: x has {x.Length} elements but y has {y.Length}.", nameof(y));
        if (z.Length < x.Length)
            throw new ArgumentException($"Elementwise {op}: destination has {z.Length} elements, fewer than the inputs' {x.Length}.", nameof(z));
        z = z[..x.Length];
        CheckAliasing(x, z, nameof(x));
        CheckAliasing(y, z, nameof(y));
        if (x.Length < ParallelThreshold || KernelParallel.MaxDegree == 1)
        {
            RunBinary(op, x, y, z);
            return;
        }

        fixed (float* px = x)
        fixed (float* py = y)
        fixed (float* pz = z)
        {
            var job = new Job { X = px, Y = py, Z = pz, Length = x.Length, Op = (int)op };
            job.Chunk = ChunkSize(x.Length);
            KernelParallel.For((x.Length + job.Chunk - 1) / job.Chunk, &BinaryChunk, &job);
        }
    }

    private static void Scalar(ScalarOp op, ReadOnlySpan<float> x, float s, Span<float> z)
    {
        if (z.Length < x.Length)
            throw new ArgumentException($"Elementwise {op}: destination has {z.Length} elements, fewer than the input's {x.Length}.", nameof(z));
        z = z[..x.Length];
        CheckAliasing(x, z, nameof(x));
        if (x.Length < ParallelThreshold || KernelParallel.MaxDegree == 1)
        {
            RunScalar(op, x, s, z);
            return;
        }

        fixed (float* px = x)
        fixed (float* pz = z)
        {
            var job = new Job { X = px, Z = pz, Length = x.Length, Op = (int)op, S = s };
            job.Chunk = ChunkSize(x.Length);
            KernelParallel.For((x.Length + job.Chunk - 1) / job.Chunk, &ScalarChunk, &job);
        }
    }

    private static void RunBinary(BinaryOp op, ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> z)
    {
        switch (op)
        {
            case BinaryOp.Add: TensorPrimitives.Add(x, y, z); break;
            case BinaryOp.Sub: TensorPrimitives.Subtract(x, y, z); break;
            case BinaryOp.Mul: TensorPrimitives.Multiply(x, y, z); break;
            default: TensorPrimitives.Divide(x, y, z); break;
        }
    }

    private static void RunScalar(ScalarOp op, ReadOnlySpan<float> x, float s, Span<float> z)
    {
        switch (op)
        {
            case ScalarOp.Add: TensorPrimitives.Add(x, s, z); break;
            case ScalarOp.Sub: TensorPrimitives.Subtract(x, s, z); break;
            case ScalarOp.SubFrom: TensorPrimitives.Subtract(s, x, z); break;
            case ScalarOp.Mul: TensorPrimitives.Multiply(x, s, z); break;
            case ScalarOp.Div: TensorPrimitives.Divide(x, s, z); break;
            case ScalarOp.DivInto: TensorPrimitives.Divide(s, x, z); break;
            default: TensorPrimitives.MultiplyAdd(x, s, z, z); break;
        }
    }

    private static int ChunkSize(int length)
    {
        int parts = KernelParallel.MaxDegree * 4; // a few chunks per thread balances a noisy neighbour
        int chunk = (length + parts - 1) / parts;
        return (chunk + ChunkAlign - 1) / ChunkAlign * ChunkAlign;
    }

    private static void BinaryChunk(void* state, int index)
    {
        ref var job = ref *(Job*)state;
        int start = index * job.Chunk, n = Math.Min(job.Chunk, job.Length - start);
        RunBinary((BinaryOp)job.Op, new ReadOnlySpan<float>(job.X + start, n), new ReadOnlySpan<float>(job.Y + start, n),
            new Span<float>(job.Z + start, n));
    }

    private static void ScalarChunk(void* state, int index)
    {
        ref var job = ref *(Job*)state;
        int start = index * job.Chunk, n = Math.Min(job.Chunk, job.Length - start);
        RunScalar((ScalarOp)job.Op, new ReadOnlySpan<float>(job.X + start, n), job.S, new Span<float>(job.Z + start, n));
    }

    /// <summary>In-place is fine; a shifted overlap would read values already overwritten.</summary>
    private static void CheckAliasing(ReadOnlySpan<float> input, Span<float> output, string name)
    {
        if (((ReadOnlySpan<float>)output).Overlaps(input, out int offset) && offset != 0)
            throw new ArgumentException($"Elementwise: the output partially overlaps input {name} (offset {offset}); " +
                "use the same span for in-place or separate buffers.", name);
    }

    private struct Job
    {
        public float* X, Y, Z;
        public int Length, Chunk, Op;
        public float S;
    }
}
