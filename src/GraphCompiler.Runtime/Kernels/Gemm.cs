namespace GraphCompiler.Runtime.Kernels;

/// <summary>
/// General matrix multiply on row-major (C order) spans: C = alpha·op(A)·op(B) + beta·C, where op(X) is X
/// or Xᵀ, op(A) is m×k, op(B) is k×n and C is m×n. <c>lda</c>, <c>ldb</c>, <c>ldc</c> are the row strides
/// of the matrices as stored (A is stored k×m when transposed). A beta of 0 overwrites C, even where it
/// holds NaN. C must not overlap A or B.
/// </summary>
/// <remarks>
/// <para>Plain single-precision products (<see cref="Sgemm"/>, <see cref="BatchedSgemm"/>) of at most
/// <see cref="SgemmSmall.MaxWork"/> multiply-adds (2¹⁶; e.g. word2vec's per-group products) run on the
/// tiny-product kernel (<see cref="SgemmSmall"/>) on the calling thread, on every ISA: it reads both operands
/// in place and skips the other paths' set-up (packing, copies, tile plans), which at that size costs more
/// than the arithmetic.</para>
/// <para>Other single-precision products take one of two paths. Products at most 64 columns wide, or small
/// ones (m·n·k up to 2²¹), with k up to 1024 run on the unpacked AVX-512 path
/// (<see cref="SgemmDirectAvx512"/>): A is read in place through its strides, B rows in place (a transposed B is copied once), the tile width
/// follows n in 16-column steps with a masked last vector, and alpha/beta are applied as C is written.
/// Everything else, and every product on AVX2 or scalar hardware, is packed and cache-blocked with an
/// AVX-512 (12x32), AVX2+FMA (6x16) or scalar (4x4) micro-kernel.</para>
/// <para>Both paths take an epilogue (<see cref="SgemmBiasActivation"/>: a column bias, then relu) that the
/// kernels apply as they store finished tiles — the packed path on its last k block only — so a dense layer
/// is one pass over C.</para>
/// <para>Packed products of at least <see cref="ParallelThreshold"/> multiply-adds (2¹⁸) are split into one
/// slab of C per thread (along the longer of m and n, on micro-tile bounds) on the runtime's own kernel
/// pool; each thread packs its own panels, so threads share nothing but the inputs. Unpacked products are
/// split by rows from <see cref="DirectParallelThreshold"/> (2¹⁹): below it (the lecture's 200·50·10
/// products take ~3 µs) the pool's hand-off would cost more than the second core saves.</para>
/// <para><see cref="SgemmWithColumnSums"/> also sums the columns of op(B) (a dense layer's bias gradient) as
/// the packing or the unpacked kernels read B, with each column summed by exactly one thread.</para>
/// <para>Gradient: for C = A·B, dA = dC·Bᵀ and dB = Aᵀ·dC — the transpose flags compute these without
/// materialising a transpose.</para>
/// </remarks>
public static unsafe partial class Gemm
{
    /// <summary>The m·n·k size from which a product is spread over several threads.</summary>
    internal const long ParallelThreshold = 1L << 18;

    /// <summary>The m·n·k size from which an unpacked (small-path) product is split across threads.</summary>
    internal const long DirectParallelThreshold = 1L << 19;

    /// <summary>C = alpha·op(A)·op(B) + beta·C in single precision.</summary>
    /// <exception cref="ArgumentException">A size, stride or span length does not fit the shapes.</exception>
    public static void Sgemm(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        GemmChecks.Validate(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        GemmChecks.NoOverlap(c, a, b);
        if (m == 0 || n == 0) return;
        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pc = c)
        {
            var problem = Describe(transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
            var isa = KernelIsaSelector.Current;
            if (UsesSmallPath(problem)) SgemmSmall.Run(isa, problem);
            else RunSplit(isa, problem);
        }
    }

    /// <summary>
    /// <paramref name="batch"/> independent products C_i = alpha·op(A_i)·op(B_i) + beta·C_i, where matrix i
    /// of X starts at element i·strideX. A stride of 0 shares one matrix across the batch (e.g. weights).
    /// </summary>
    public static void BatchedSgemm(bool transA, bool transB, int batch, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, int strideA, ReadOnlySpan<float> b, int ldb, int strideB,
        float beta, Span<float> c, int ldc, int strideC)
    {
        GemmChecks.ValidateBatch(transA, transB, batch, m, n, k, a.Length, lda, strideA, b.Length, ldb, strideB,
            c.Length, ldc, strideC);
        GemmChecks.NoOverlap(c, a, b);
        if (batch == 0 || m == 0 || n == 0) return;
        var isa = KernelIsaSelector.Current;
        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pc = c)
        {
            var job = new BatchJob
            {
                Problem = Describe(transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc),
                StrideA = strideA,
                StrideB = strideB,
                StrideC = strideC,
                Isa = isa,
            };
            job.Small = UsesSmallPath(job.Problem);
            job.Direct = !job.Small && UsesDirectPath(isa, job.Problem);
            if ((long)m * n * k >= ParallelThreshold || batch == 1)
            {
                // Each product is big enough to use every core by itself (or there is only one).
                if (job.Small) SgemmSmall.RunBatch(isa, job.Problem, batch, strideA, strideB, strideC);
                else for (int i = 0; i < batch; i++) RunSplit(isa, job.Item(i));
            }
            else if ((long)batch * m * n * k < ParallelThreshold)
            {
                // The whole batch is less work than waking the pool costs (word2vec's per-group noise
                // products are a few thousand multiply-adds each), and Hogwild callers keep every core busy.
                // The tiny-product kernel picks its loop once for the whole batch.
                if (job.Small) SgemmSmall.RunBatch(isa, job.Problem, batch, strideA, strideB, strideC);
                else for (int i = 0; i < batch; i++) RunBatchItem(&job, i);
            }
            else
            {
                KernelParallel.For(batch, &RunBatchItem, &job);
            }
        }
    }

    /// <summary>C = alpha·op(A)·op(B) + beta·C in double precision (a simpler blocked kernel).</summary>
    public static void Dgemm(bool transA, bool transB, int m, int n, int k, double alpha,
        ReadOnlySpan<double> a, int lda, ReadOnlySpan<double> b, int ldb, double beta, Span<double> c, int ldc)
    {
        GemmChecks.Validate(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        GemmChecks.NoOverlap(c, a, b);
        if (m == 0 || n == 0) return;
        DgemmBlocked.Run(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    private static SgemmProblem Describe(bool transA, bool transB, int m, int n, int k, float alpha,
        float* a, int lda, float* b, int ldb, float beta, float* c, int ldc) => new()
    {
        M = m,
        N = n,
        K = k,
        Alpha = alpha,
        Beta = beta,
        A = a,
        RowStrideA = transA ? 1 : lda,
        ColStrideA = transA ? lda : 1,
        B = b,
        RowStrideB = transB ? 1 : ldb,
        ColStrideB = transB ? ldb : 1,
        C = c,
        Ldc = ldc,
    };

    /// <summary>Runs one product, split across the pool when it is large enough to pay for the wake-ups.</summary>
    private static void RunSplit(KernelIsa isa, in SgemmProblem problem)
    {
        int degree = KernelParallel.MaxDegree;
        long work = (long)problem.M * problem.N * problem.K;
        // k = 0 and alpha = 0 only scale C (and must not touch A or B, which may hold NaN): the driver does that.
        if (UsesDirectPath(isa, problem))
        {
            RunDirect(problem, degree);
            return;
        }

        if (degree <= 1 || work < ParallelThreshold)
        {
            SgemmDriver.Run(isa, problem);
            return;
        }

        var (mr, nr) = SgemmDriver.TileShape(isa);
        var job = new SplitJob { Problem = problem, Isa = isa };
        // Split the longer side of C so each slab stays wide: the other operand is packed per thread,
        // and that redundant packing is cheap only relative to a wide slab.
        job.SplitColumns = problem.N >= problem.M;
        int extent = job.SplitColumns ? problem.N : problem.M;
        int unit = job.SplitColumns ? nr : mr;
        int units = (extent + unit - 1) / unit;
        int parts = Math.Min(degree, units);
        if (parts <= 1)
        {
            SgemmDriver.Run(isa, problem);
            return;
        }

        job.Chunk = (units + parts - 1) / parts * unit;
        job.Parts = (extent + job.Chunk - 1) / job.Chunk;
        KernelParallel.For(job.Parts, &RunSplitPart, &job);
    }

    /// <summary>Whether a plain product (no epilogue, no column sums) goes to the tiny-product kernel.</summary>
    private static bool UsesSmallPath(in SgemmProblem problem) => SgemmPathSelector.Current switch
    {
        SgemmPath.Small => true,
        SgemmPath.Auto => SgemmSmall.Suits(problem),
        _ => false,
    };

    private static bool UsesDirectPath(KernelIsa isa, in SgemmProblem problem)
    {
        if (isa != KernelIsa.Avx512 || problem.K == 0 || problem.Alpha == 0f) return false;
        return SgemmPathSelector.Current switch
        {
            SgemmPath.Packed => false,
            SgemmPath.Direct => true,
            _ => SgemmDirectAvx512.Suits(problem),
        };
    }

    /// <summary>The unpacked path; a transposed B is copied row-major once, then rows of C are split across threads.</summary>
    private static void RunDirect(in SgemmProblem problem, int degree)
    {
        var job = new DirectJob { Problem = problem, B = problem.B, Ldb = problem.RowStrideB };
        if (problem.ColStrideB != 1)
        {
            job.B = PackBuffer.ForB(problem.K * problem.N);
            job.Ldb = problem.N;
            SgemmDirectAvx512.CopyB(problem, job.B);
        }

        long work = (long)problem.M * problem.N * problem.K;
        // Slabs of whole tiles of the first (widest) strip, so only the last slab has a ragged tile there.
        int unit = SgemmDirectAvx512.RowsPerTile(problem.N > 48 ? 4 : (problem.N + 15) >> 4);
        int units = (problem.M + unit - 1) / unit;
        int parts = work < DirectParallelThreshold ? 1 : Math.Min(degree, units);
        if (parts <= 1)
        {
            SgemmDirectAvx512.Run(problem, job.B, job.Ldb, 0, problem.M);
            return;
        }

        job.Chunk = (units + parts - 1) / parts * unit;
        KernelParallel.For((problem.M + job.Chunk - 1) / job.Chunk, &RunDirectPart, &job);
    }

    private static void RunDirectPart(void* state, int part)
    {
        ref var job = ref *(DirectJob*)state;
        int start = part * job.Chunk;
        SgemmDirectAvx512.Run(job.Problem, job.B, job.Ldb, start, Math.Min(job.Chunk, job.Problem.M - start));
    }

    private struct DirectJob
    {
        public SgemmProblem Problem;
        public float* B;
        public nint Ldb;
        public int Chunk;
    }

    private static void RunSplitPart(void* state, int part)
    {
        ref var job = ref *(SplitJob*)state;
        var p = job.Problem;
        int start = part * job.Chunk;
        if (job.SplitColumns)
        {
            int cols = Math.Min(job.Chunk, p.N - start);
            SgemmDriver.Run(job.Isa, p.Slice(0, p.M, start, cols));
        }
        else
        {
            int rows = Math.Min(job.Chunk, p.M - start);
            var slab = p.Slice(start, rows, 0, p.N);
            // Every row slab packs all of B; only the first one sums its columns, so each is summed once.
            if (start != 0) slab.ColumnSums = null;
            SgemmDriver.Run(job.Isa, slab);
        }
    }

    private static void RunBatchItem(void* state, int item)
    {
        ref var job = ref *(BatchJob*)state;
        if (job.Small) SgemmSmall.Run(job.Isa, job.Item(item));
        else if (job.Direct) RunDirect(job.Item(item), degree: 1);
        else SgemmDriver.Run(job.Isa, job.Item(item));
    }

    private struct SplitJob
    {
        public SgemmProblem Problem;
        public KernelIsa Isa;
        public bool SplitColumns;
        public int Chunk;
        public int Parts;
    }

    private struct BatchJob
    {
        public SgemmProblem Problem;
        public int StrideA, StrideB, StrideC;
        public KernelIsa Isa;
        public bool Small;
        public bool Direct;

        public readonly SgemmProblem Item(int i)
        {
            var p = Problem;
            p.A += (nint)i * StrideA;
            p.B += (nint)i * StrideB;
            p.C += (nint)i * StrideC;
            return p;
        }
    }
}
