using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace GraphCompiler.Runtime.Kernels;

/// <summary>
/// The kernel for tiny products, such as word2vec's per-group logits (16x128 · (5x128)ᵀ), input gradient
/// (16x5 · 5x128) and noise gradient ((16x5)ᵀ · 16x128): a few thousand multiply-adds each, where the
/// other paths' fixed costs (packing, a row-major copy of a transposed B, a tile plan, a zero-padded copy
/// of a ragged row block) outweigh the arithmetic. Here op(A) and op(B) are read in place through their
/// strides, alpha and beta are applied as C is written, and nothing is set up per product: a batch picks its
/// loop once and then only moves three pointers per item. Runs on the calling thread, so its results do not
/// depend on the thread count.
/// </summary>
/// <remarks>
/// <para>C = A·B and C = Aᵀ·B (row updates): n runs along B and C, so row i of C is Σ_p op(A)[i, p]·B[p, :],
/// with op(A)[i, p] broadcast (read through its two strides, which covers both transposes). Tiles of 4 rows ×
/// 4 vectors on AVX-512 (16 of its 32 registers), 4 × 2 elsewhere (8 of AVX2's 16); narrow tiles keep even and
/// odd p apart so a deep k is not one latency-bound chain; ragged columns are masked vectors, so nothing is
/// read or written past column n.</para>
/// <para>C = A·Bᵀ (dot products): k runs along both stored rows, so C[i, j] is a dot product. A tile of 2 A
/// rows × 4 B rows keeps 8 vector accumulators; the four of one A row are reduced together (a transposing add,
/// 8 shuffles instead of 16 for four horizontal sums) into C[i, j..j+4]. The last k mod W elements are one
/// masked vector (lanes beyond k load as 0, memory past the row is not read), so there is no scalar tail.
/// When k is short a dot product wastes most of each vector, and Bᵀ is copied row-major (k·n values, once
/// for a batch that shares B) for the row-update loops instead.</para>
/// <para>C = Aᵀ·Bᵀ: either Bᵀ is copied as above (row updates read Aᵀ through its strides), or, when m is the
/// short side, the operands swap — B·A is a plain row-update product — into scratch that is written to C
/// transposed. <see cref="PlanTransposedB{TVec, TL}"/> picks among these by a cost count.</para>
/// <para>The loops are generic over the lane type (<see cref="ISmallLanes{TVec}"/>), so the AVX-512, AVX2
/// and scalar paths (the scalar one with width 1) run the same code and all three are tested.</para>
/// </remarks>
internal static unsafe class SgemmSmall
{
    /// <summary>
    /// The largest m·n·k this kernel takes. Measured single-threaded on AVX-512 against the unpacked and packed
    /// paths, over word2vec's shapes, square-ish ones, deep ones (8x8x1024) and tall narrow layer shapes
    /// (200x10x50, 128x5x128), all four transposes: up to 2¹⁶ this kernel was never more than 5 % slower
    /// (that only in timing noise) and mostly 1.2–4x faster, up to 10x on deep or transposed ones; from 2¹⁷
    /// the tall narrow shapes lose 5–15 % to the unpacked path's 12-row tiles. On AVX2 (where the alternative
    /// is packing) the picture is the same, with larger wins. Every word2vec product (16·128·5 = 10 240 per
    /// group) is far inside.
    /// </summary>
    public const long MaxWork = 1L << 16;

    /// <summary>Whether a plain product (no epilogue, no column sums) is small enough to run here.</summary>
    public static bool Suits(in SgemmProblem p) => (long)p.M * p.N * p.K <= MaxWork;

    /// <summary>
    /// C = alpha·op(A)·op(B) + beta·C for <paramref name="p"/> with the lanes of <paramref name="isa"/>. The
    /// problem must have an identity epilogue and no column sums (the fused entry points keep their paths).
    /// </summary>
    public static void Run(KernelIsa isa, in SgemmProblem p) => RunBatch(isa, p, 1, 0, 0, 0);

    /// <summary>
    /// <paramref name="batch"/> products like <paramref name="p"/>, item i with A, B and C moved by i times
    /// <paramref name="strideA"/>, <paramref name="strideB"/> and <paramref name="strideC"/> elements (0 shares
    /// an operand), one after another on this thread.
    /// </summary>
    public static void RunBatch(KernelIsa isa, in SgemmProblem p, int batch, nint strideA, nint strideB, nint strideC)
    {
        if (!p.Epilogue.IsIdentity || p.ColumnSums != null)
            throw new InvalidOperationException("The small-product GEMM kernel takes plain products only (no epilogue or column sums).");
        if (batch == 0 || p.M == 0 || p.N == 0) return;
        if (p.K == 0 || p.Alpha == 0f)
        {
            // No product to add, and A and B must not be read (they may hold NaN): only C is scaled.
            for (int item = 0; item < batch; item++) ScaleC(p, p.C + item * strideC);
            return;
        }

        switch (isa)
        {
            case KernelIsa.Avx512: RunBatch<Vector512<float>, Lanes512>(p, batch, strideA, strideB, strideC); break;
            case KernelIsa.Avx2: RunBatch<Vector256<float>, Lanes256>(p, batch, strideA, strideB, strideC); break;
            default: RunBatch<float, LanesScalar>(p, batch, strideA, strideB, strideC); break;
        }
    }

    private static void RunBatch<TVec, TL>(in SgemmProblem p, int batch, nint strideA, nint strideB, nint strideC)
        where TVec : struct
        where TL : struct, ISmallLanes<TVec>
    {
        float* a = p.A, b = p.B, c = p.C;
        var plan = p.ColStrideB == 1 ? Loop.RowUpdates : PlanTransposedB<TVec, TL>(p, strideB == 0 ? batch : 1);
        switch (plan)
        {
            case Loop.RowUpdates:
                for (int item = 0; item < batch; item++, a += strideA, b += strideB, c += strideC)
                    RowUpdates<TVec, TL>(p, a, b, c);
                break;
            case Loop.Dots:
                for (int item = 0; item < batch; item++, a += strideA, b += strideB, c += strideC)
                    Dots<TVec, TL>(p, a, b, c);
                break;
            case Loop.SwappedOperands:
                for (int item = 0; item < batch; item++, a += strideA, b += strideB, c += strideC)
                    SwappedOperands<TVec, TL>(p, a, b, c);
                break;
            default:
                // op(B) = Bᵀ copied row-major to scratch, then the row-update loops (which read op(A) through
                // its strides, transposed or not); a B shared by the whole batch is copied once.
                var q = p;
                q.RowStrideB = p.N;
                q.ColStrideB = 1;
                float* bt = PackBuffer.ForB(p.K * p.N);
                for (int item = 0; item < batch; item++, a += strideA, b += strideB, c += strideC)
                {
                    if (item == 0 || strideB != 0) TransposeB<TVec, TL>(p, b, bt);
                    RowUpdates<TVec, TL>(q, a, bt, c);
                }

                break;
        }
    }

    /// <summary>The loop shapes of this kernel.</summary>
    private enum Loop
    {
        /// <summary>op(B) row-major: rows of C from broadcast op(A) values times B rows.</summary>
        RowUpdates,

        /// <summary>C = A·Bᵀ: dot products of stored rows.</summary>
        Dots,

        /// <summary>op(B) = Bᵀ copied row-major, then row updates.</summary>
        CopiedB,

        /// <summary>C = Aᵀ·Bᵀ = (B·A)ᵀ: row updates into scratch, written to C transposed.</summary>
        SwappedOperands,
    }

    /// <summary>
    /// The cheapest loop for a transposed B, by a count of vector multiply-add slots fitted to measurements
    /// (see <see cref="MaxWork"/>). A dot product costs its ⌈k/W⌉ vectors plus about 4 slots of horizontal
    /// reduction per element of C, and wastes most of each vector when k is short. Row updates cost ⌈n/W⌉·k
    /// vectors per row of C plus about one slot per element of B copied (<paramref name="sharers"/> products
    /// sharing one B split that). Swapping the operands of Aᵀ·Bᵀ costs ⌈m/W⌉·k vectors per column of C plus
    /// one to three slots per element of C transposed. So word2vec's logits (k = 128, n = 5) are dot
    /// products, while A·Bᵀ with k up to about 2m copies B; Aᵀ·Bᵀ swaps when m is the short side.
    /// </summary>
    private static Loop PlanTransposedB<TVec, TL>(in SgemmProblem p, int sharers)
        where TVec : struct
        where TL : struct, ISmallLanes<TVec>
    {
        long w = TL.Count, m = p.M, n = p.N, k = p.K;
        long copiedB = m * ((n + w - 1) / w) * k + k * n / sharers;
        if (p.ColStrideA == 1)
        {
            // Width 1 (the scalar path) has no reduction to pay for.
            long dots = m * n * ((k + w - 1) / w + (w == 1 ? 0 : 4));
            return dots <= copiedB ? Loop.Dots : Loop.CopiedB;
        }

        // The transposed write goes 8x8 blocks at a time only when C has at least 8 rows; below that it is
        // one strided store per element.
        long swapped = ((m + w - 1) / w) * n * k + m * n * (m >= 8 ? 1 : 3);
        return swapped < copiedB ? Loop.SwappedOperands : Loop.CopiedB;
    }

    /// <summary>bt[q·n + j] = op(B)[q, j] = b[j·ColStrideB + q]: a transposed B copied row-major.</summary>
    private static void TransposeB<TVec, TL>(in SgemmProblem p, float* b, float* bt)
        where TVec : struct
        where TL : struct, ISmallLanes<TVec>
    {
        if (TL.Count > 1)
        {
            // The vector paths may use the AVX transposing copy; the scalar path must stay plain C#.
            SgemmTransposePack.Pack(b, p.ColStrideB, p.N, p.K, 1f, bt, p.N);
            return;
        }

        int n = p.N, k = p.K;
        nint ldb = p.ColStrideB;
        for (int j = 0; j < n; j++)
            for (int q = 0; q < k; q++) bt[(nint)q * n + j] = b[j * ldb + q];
    }

    /// <summary>
    /// C = Aᵀ·Bᵀ = (B·A)ᵀ: the stored B (n×k, rows contiguous) times the stored A (k×m, rows contiguous) is a
    /// plain row-update product, computed into scratch as Cᵀ and written transposed with alpha and beta.
    /// </summary>
    private static void SwappedOperands<TVec, TL>(in SgemmProblem p, float* a, float* b, float* c)
        where TVec : struct
        where TL : struct, ISmallLanes<TVec>
    {
        float* ct = PackBuffer.ForA(p.M * p.N);
        var q = p;
        q.M = p.N;
        q.N = p.M;
        q.RowStrideA = p.ColStrideB;
        q.ColStrideA = p.RowStrideB;
        q.RowStrideB = p.ColStrideA;
        q.ColStrideB = p.RowStrideA;
        q.Ldc = p.M;
        q.Alpha = 1f;
        q.Beta = 0f;
        RowUpdates<TVec, TL>(q, b, a, ct);
        int m = p.M, n = p.N;
        nint ldc = p.Ldc;
        float alpha = p.Alpha, beta = p.Beta;
        if (beta == 0f && TL.Count > 1)
        {
            // C[i, j] = alpha·Cᵀ[j, i] by the vector transposing copy (the vector paths may use AVX).
            SgemmTransposePack.Pack(ct, m, n, m, alpha, c, p.Ldc);
            return;
        }

        for (int i = 0; i < m; i++)
        {
            float* ci = c + i * ldc;
            for (int j = 0; j < n; j++)
            {
                float r = alpha * ct[(nint)j * m + i];
                ci[j] = beta == 0f ? r : r + beta * ci[j];
            }
        }
    }

    /// <summary>C = beta·C; beta 0 writes zeros without reading C, beta 1 leaves it alone.</summary>
    private static void ScaleC(in SgemmProblem p, float* c)
    {
        if (p.Beta == 1f) return;
        for (int i = 0; i < p.M; i++)
        {
            var row = new Span<float>(c + (nint)i * p.Ldc, p.N);
            if (p.Beta == 0f) row.Clear();
            else System.Numerics.Tensors.TensorPrimitives.Multiply(row, p.Beta, row);
        }
    }

    // ---- op(B) row-major (C = A·B, C = Aᵀ·B): rows of C built from broadcast op(A) values times B rows ----
    // In the tiles below, a is op(A)'s first row of the tile, b is B's column j and c is C[i, j].

    private static void RowUpdates<TVec, TL>(in SgemmProblem p, float* a, float* b, float* c)
        where TVec : struct
        where TL : struct, ISmallLanes<TVec>
    {
        int w = TL.Count;
        bool wide = TL.Count == Vector512<float>.Count; // a JIT-time constant: one branch survives
        nint rs = p.RowStrideA, ldc = p.Ldc;
        int i = 0;
        for (; i + 4 <= p.M; i += 4)
        {
            float* ai = a + i * rs, ci = c + i * ldc;
            int j = 0;
            if (wide)
            {
                for (; j + 4 * w <= p.N; j += 4 * w) Update4x4<TVec, TL>(p, ai, b + j, ci + j);
            }

            for (; j + 2 * w <= p.N; j += 2 * w) Update4x2<TVec, TL>(p, ai, b + j, ci + j);
            for (; j < p.N; j += w) Update4x1<TVec, TL>(p, ai, b + j, ci + j, Math.Min(w, p.N - j));
        }

        for (; i < p.M; i++)
        {
            float* ai = a + i * rs, ci = c + i * ldc;
            int j = 0;
            for (; j + 4 * w <= p.N; j += 4 * w) Update1x4<TVec, TL>(p, ai, b + j, ci + j);
            for (; j < p.N; j += w) Update1x1<TVec, TL>(p, ai, b + j, ci + j, Math.Min(w, p.N - j));
        }
    }

    /// <summary>4 rows × 4 full vectors, 16 accumulators (AVX-512 only: AVX2 has 16 registers in all).</summary>
    private static void Update4x4<TVec, TL>(in SgemmProblem p, float* a, float* b, float* c)
        where TVec : struct
        where TL : struct, ISmallLanes<TVec>
    {
        nint rs = p.RowStrideA, cs = p.ColStrideA, ldb = p.RowStrideB, w = TL.Count;
        float* a1 = a + rs, a2 = a1 + rs, a3 = a2 + rs;
        TVec c00 = TL.Zero, c01 = TL.Zero, c02 = TL.Zero, c03 = TL.Zero;
        TVec c10 = TL.Zero, c11 = TL.Zero, c12 = TL.Zero, c13 = TL.Zero;
        TVec c20 = TL.Zero, c21 = TL.Zero, c22 = TL.Zero, c23 = TL.Zero;
        TVec c30 = TL.Zero, c31 = TL.Zero, c32 = TL.Zero, c33 = TL.Zero;
        nint offset = 0;
        for (int q = 0; q < p.K; q++, offset += cs, b += ldb)
        {
            var b0 = TL.Load(b);
            var b1 = TL.Load(b + w);
            var b2 = TL.Load(b + 2 * w);
            var b3 = TL.Load(b + 3 * w);
            var x = TL.Broadcast(a[offset]);
            c00 = TL.MultiplyAdd(x, b0, c00);
            c01 = TL.MultiplyAdd(x, b1, c01);
            c02 = TL.MultiplyAdd(x, b2, c02);
            c03 = TL.MultiplyAdd(x, b3, c03);
            x = TL.Broadcast(a1[offset]);
            c10 = TL.MultiplyAdd(x, b0, c10);
            c11 = TL.MultiplyAdd(x, b1, c11);
            c12 = TL.MultiplyAdd(x, b2, c12);
            c13 = TL.MultiplyAdd(x, b3, c13);
            x = TL.Broadcast(a2[offset]);
            c20 = TL.MultiplyAdd(x, b0, c20);
            c21 = TL.MultiplyAdd(x, b1, c21);
            c22 = TL.MultiplyAdd(x, b2, c22);
            c23 = TL.MultiplyAdd(x, b3, c23);
            x = TL.Broadcast(a3[offset]);
            c30 = TL.MultiplyAdd(x, b0, c30);
            c31 = TL.MultiplyAdd(x, b1, c31);
            c32 = TL.MultiplyAdd(x, b2, c32);
            c33 = TL.MultiplyAdd(x, b3, c33);
        }

        var alpha = TL.Broadcast(p.Alpha);
        float beta = p.Beta;
        nint ldc = p.Ldc;
        Store4<TVec, TL>(c, c00, c01, c02, c03, alpha, beta);
        Store4<TVec, TL>(c + ldc, c10, c11, c12, c13, alpha, beta);
        Store4<TVec, TL>(c + 2 * ldc, c20, c21, c22, c23, alpha, beta);
        Store4<TVec, TL>(c + 3 * ldc, c30, c31, c32, c33, alpha, beta);
    }

    /// <summary>4 rows × 2 full vectors, 8 accumulators.</summary>
    private static void Update4x2<TVec, TL>(in SgemmProblem p, float* a, float* b, float* c)
        where TVec : struct
        where TL : struct, ISmallLanes<TVec>
    {
        nint rs = p.RowStrideA, cs = p.ColStrideA, ldb = p.RowStrideB, w = TL.Count;
        float* a1 = a + rs, a2 = a1 + rs, a3 = a2 + rs;
        TVec c00 = TL.Zero, c01 = TL.Zero, c10 = TL.Zero, c11 = TL.Zero;
        TVec c20 = TL.Zero, c21 = TL.Zero, c30 = TL.Zero, c31 = TL.Zero;
        nint offset = 0;
        for (int q = 0; q < p.K; q++, offset += cs, b += ldb)
        {
            var b0 = TL.Load(b);
            var b1 = TL.Load(b + w);
            var x = TL.Broadcast(a[offset]);
            c00 = TL.MultiplyAdd(x, b0, c00);
            c01 = TL.MultiplyAdd(x, b1, c01);
            x = TL.Broadcast(a1[offset]);
            c10 = TL.MultiplyAdd(x, b0, c10);
            c11 = TL.MultiplyAdd(x, b1, c11);
            x = TL.Broadcast(a2[offset]);
            c20 = TL.MultiplyAdd(x, b0, c20);
            c21 = TL.MultiplyAdd(x, b1, c21);
            x = TL.Broadcast(a3[offset]);
            c30 = TL.MultiplyAdd(x, b0, c30);
            c31 = TL.MultiplyAdd(x, b1, c31);
        }

        var alpha = TL.Broadcast(p.Alpha);
        float beta = p.Beta;
        nint ldc = p.Ldc;
        Store<TVec, TL>(c, c00, alpha, beta);
        Store<TVec, TL>(c + w, c01, alpha, beta);
        Store<TVec, TL>(c + ldc, c10, alpha, beta);
        Store<TVec, TL>(c + ldc + w, c11, alpha, beta);
        Store<TVec, TL>(c + 2 * ldc, c20, alpha, beta);
        Store<TVec, TL>(c + 2 * ldc + w, c21, alpha, beta);
        Store<TVec, TL>(c + 3 * ldc, c30, alpha, beta);
        Store<TVec, TL>(c + 3 * ldc + w, c31, alpha, beta);
    }

    /// <summary>
    /// 4 rows × one vector of which the first <paramref name="count"/> lanes are live: narrow C (n below a
    /// vector or two), with even and odd k in separate accumulators so a deep k is 8 chains of multiply-adds,
    /// not 4 latency-bound ones.
    /// </summary>
    private static void Update4x1<TVec, TL>(in SgemmProblem p, float* a, float* b, float* c, int count)
        where TVec : struct
        where TL : struct, ISmallLanes<TVec>
    {
        nint rs = p.RowStrideA, cs = p.ColStrideA, ldb = p.RowStrideB;
        float* a1 = a + rs, a2 = a1 + rs, a3 = a2 + rs;
        var lanes = TL.FirstLanes(count);
        TVec c0 = TL.Zero, c1 = TL.Zero, c2 = TL.Zero, c3 = TL.Zero;
        TVec d0 = TL.Zero, d1 = TL.Zero, d2 = TL.Zero, d3 = TL.Zero;
        nint offset = 0;
        int q = 0;
        for (; q + 2 <= p.K; q += 2, offset += 2 * cs, b += 2 * ldb)
        {
            var b0 = TL.LoadLanes(b, lanes);
            var b1 = TL.LoadLanes(b + ldb, lanes);
            c0 = TL.MultiplyAdd(TL.Broadcast(a[offset]), b0, c0);
            c1 = TL.MultiplyAdd(TL.Broadcast(a1[offset]), b0, c1);
            c2 = TL.MultiplyAdd(TL.Broadcast(a2[offset]), b0, c2);
            c3 = TL.MultiplyAdd(TL.Broadcast(a3[offset]), b0, c3);
            d0 = TL.MultiplyAdd(TL.Broadcast(a[offset + cs]), b1, d0);
            d1 = TL.MultiplyAdd(TL.Broadcast(a1[offset + cs]), b1, d1);
            d2 = TL.MultiplyAdd(TL.Broadcast(a2[offset + cs]), b1, d2);
            d3 = TL.MultiplyAdd(TL.Broadcast(a3[offset + cs]), b1, d3);
        }

        if (q < p.K)
        {
            var b0 = TL.LoadLanes(b, lanes);
            c0 = TL.MultiplyAdd(TL.Broadcast(a[offset]), b0, c0);
            c1 = TL.MultiplyAdd(TL.Broadcast(a1[offset]), b0, c1);
            c2 = TL.MultiplyAdd(TL.Broadcast(a2[offset]), b0, c2);
            c3 = TL.MultiplyAdd(TL.Broadcast(a3[offset]), b0, c3);
        }

        var alpha = TL.Broadcast(p.Alpha);
        nint ldc = p.Ldc;
        StoreLanes<TVec, TL>(c, TL.Add(c0, d0), lanes, alpha, p.Beta);
        StoreLanes<TVec, TL>(c + ldc, TL.Add(c1, d1), lanes, alpha, p.Beta);
        StoreLanes<TVec, TL>(c + 2 * ldc, TL.Add(c2, d2), lanes, alpha, p.Beta);
        StoreLanes<TVec, TL>(c + 3 * ldc, TL.Add(c3, d3), lanes, alpha, p.Beta);
    }

    /// <summary>One row × 4 full vectors (the rows below the last 4-row tile, or m = 1), even and odd k apart.</summary>
    private static void Update1x4<TVec, TL>(in SgemmProblem p, float* a, float* b, float* c)
        where TVec : struct
        where TL : struct, ISmallLanes<TVec>
    {
        nint cs = p.ColStrideA, ldb = p.RowStrideB, w = TL.Count;
        TVec c0 = TL.Zero, c1 = TL.Zero, c2 = TL.Zero, c3 = TL.Zero;
        TVec d0 = TL.Zero, d1 = TL.Zero, d2 = TL.Zero, d3 = TL.Zero;
        nint offset = 0;
        int q = 0;
        for (; q + 2 <= p.K; q += 2, offset += 2 * cs, b += 2 * ldb)
        {
            var x = TL.Broadcast(a[offset]);
            c0 = TL.MultiplyAdd(x, TL.Load(b), c0);
            c1 = TL.MultiplyAdd(x, TL.Load(b + w), c1);
            c2 = TL.MultiplyAdd(x, TL.Load(b + 2 * w), c2);
            c3 = TL.MultiplyAdd(x, TL.Load(b + 3 * w), c3);
            x = TL.Broadcast(a[offset + cs]);
            float* b1 = b + ldb;
            d0 = TL.MultiplyAdd(x, TL.Load(b1), d0);
            d1 = TL.MultiplyAdd(x, TL.Load(b1 + w), d1);
            d2 = TL.MultiplyAdd(x, TL.Load(b1 + 2 * w), d2);
            d3 = TL.MultiplyAdd(x, TL.Load(b1 + 3 * w), d3);
        }

        if (q < p.K)
        {
            var x = TL.Broadcast(a[offset]);
            c0 = TL.MultiplyAdd(x, TL.Load(b), c0);
            c1 = TL.MultiplyAdd(x, TL.Load(b + w), c1);
            c2 = TL.MultiplyAdd(x, TL.Load(b + 2 * w), c2);
            c3 = TL.MultiplyAdd(x, TL.Load(b + 3 * w), c3);
        }

        Store4<TVec, TL>(c, TL.Add(c0, d0), TL.Add(c1, d1), TL.Add(c2, d2), TL.Add(c3, d3), TL.Broadcast(p.Alpha), p.Beta);
    }

    /// <summary>One row × one vector of which the first <paramref name="count"/> lanes are live.</summary>
    private static void Update1x1<TVec, TL>(in SgemmProblem p, float* a, float* b, float* c, int count)
        where TVec : struct
        where TL : struct, ISmallLanes<TVec>
    {
        nint cs = p.ColStrideA, ldb = p.RowStrideB;
        var lanes = TL.FirstLanes(count);
        // Two accumulators (even and odd p) so a deep k is not one chain of dependent multiply-adds.
        TVec even = TL.Zero, odd = TL.Zero;
        int q = 0;
        for (; q + 2 <= p.K; q += 2, b += 2 * ldb)
        {
            even = TL.MultiplyAdd(TL.Broadcast(a[q * cs]), TL.LoadLanes(b, lanes), even);
            odd = TL.MultiplyAdd(TL.Broadcast(a[(q + 1) * cs]), TL.LoadLanes(b + ldb, lanes), odd);
        }

        if (q < p.K) even = TL.MultiplyAdd(TL.Broadcast(a[q * cs]), TL.LoadLanes(b, lanes), even);
        StoreLanes<TVec, TL>(c, TL.Add(even, odd), lanes, TL.Broadcast(p.Alpha), p.Beta);
    }

    // ---- C = A·Bᵀ: dot products of stored rows, k contiguous in both ----
    // In the tiles below, x is A's row i, y is B's row j (C's column j) and c is C[i, j].

    private static void Dots<TVec, TL>(in SgemmProblem p, float* a, float* b, float* c)
        where TVec : struct
        where TL : struct, ISmallLanes<TVec>
    {
        nint lda = p.RowStrideA, ldb = p.ColStrideB, ldc = p.Ldc;
        int i = 0;
        for (; i + 2 <= p.M; i += 2)
        {
            float* x = a + i * lda, ci = c + i * ldc;
            int j = 0;
            for (; j + 4 <= p.N; j += 4) Dot2x4<TVec, TL>(p, x, b + j * ldb, ci + j);
            for (; j < p.N; j++) Dot2x1<TVec, TL>(p, x, b + j * ldb, ci + j);
        }

        if (i < p.M)
        {
            float* x = a + i * lda, ci = c + i * ldc;
            int j = 0;
            for (; j + 4 <= p.N; j += 4) Dot1x4<TVec, TL>(p, x, b + j * ldb, ci + j);
            for (; j < p.N; j++) Dot1x1<TVec, TL>(p, x, b + j * ldb, ci + j);
        }
    }

    /// <summary>Two A rows against four B rows, 8 accumulators.</summary>
    private static void Dot2x4<TVec, TL>(in SgemmProblem p, float* x0, float* y0, float* c)
        where TVec : struct
        where TL : struct, ISmallLanes<TVec>
    {
        float* x1 = x0 + p.RowStrideA;
        nint ldb = p.ColStrideB;
        float* y1 = y0 + ldb, y2 = y1 + ldb, y3 = y2 + ldb;
        TVec s00 = TL.Zero, s01 = TL.Zero, s02 = TL.Zero, s03 = TL.Zero;
        TVec s10 = TL.Zero, s11 = TL.Zero, s12 = TL.Zero, s13 = TL.Zero;
        int q = 0;
        for (; q + TL.Count <= p.K; q += TL.Count)
        {
            var a0 = TL.Load(x0 + q);
            var a1 = TL.Load(x1 + q);
            var b = TL.Load(y0 + q);
            s00 = TL.MultiplyAdd(a0, b, s00);
            s10 = TL.MultiplyAdd(a1, b, s10);
            b = TL.Load(y1 + q);
            s01 = TL.MultiplyAdd(a0, b, s01);
            s11 = TL.MultiplyAdd(a1, b, s11);
            b = TL.Load(y2 + q);
            s02 = TL.MultiplyAdd(a0, b, s02);
            s12 = TL.MultiplyAdd(a1, b, s12);
            b = TL.Load(y3 + q);
            s03 = TL.MultiplyAdd(a0, b, s03);
            s13 = TL.MultiplyAdd(a1, b, s13);
        }

        if (q < p.K)
        {
            var tail = TL.FirstLanes(p.K - q);
            var a0 = TL.LoadLanes(x0 + q, tail);
            var a1 = TL.LoadLanes(x1 + q, tail);
            var b = TL.LoadLanes(y0 + q, tail);
            s00 = TL.MultiplyAdd(a0, b, s00);
            s10 = TL.MultiplyAdd(a1, b, s10);
            b = TL.LoadLanes(y1 + q, tail);
            s01 = TL.MultiplyAdd(a0, b, s01);
            s11 = TL.MultiplyAdd(a1, b, s11);
            b = TL.LoadLanes(y2 + q, tail);
            s02 = TL.MultiplyAdd(a0, b, s02);
            s12 = TL.MultiplyAdd(a1, b, s12);
            b = TL.LoadLanes(y3 + q, tail);
            s03 = TL.MultiplyAdd(a0, b, s03);
            s13 = TL.MultiplyAdd(a1, b, s13);
        }

        TL.StoreSums4(c, s00, s01, s02, s03, p.Alpha, p.Beta);
        TL.StoreSums4(c + p.Ldc, s10, s11, s12, s13, p.Alpha, p.Beta);
    }

    /// <summary>Two A rows against one B row (the B rows left after the last group of 4).</summary>
    private static void Dot2x1<TVec, TL>(in SgemmProblem p, float* x0, float* y, float* c)
        where TVec : struct
        where TL : struct, ISmallLanes<TVec>
    {
        float* x1 = x0 + p.RowStrideA;
        TVec s0 = TL.Zero, s1 = TL.Zero;
        int q = 0;
        for (; q + TL.Count <= p.K; q += TL.Count)
        {
            var b = TL.Load(y + q);
            s0 = TL.MultiplyAdd(TL.Load(x0 + q), b, s0);
            s1 = TL.MultiplyAdd(TL.Load(x1 + q), b, s1);
        }

        if (q < p.K)
        {
            var tail = TL.FirstLanes(p.K - q);
            var b = TL.LoadLanes(y + q, tail);
            s0 = TL.MultiplyAdd(TL.LoadLanes(x0 + q, tail), b, s0);
            s1 = TL.MultiplyAdd(TL.LoadLanes(x1 + q, tail), b, s1);
        }

        StoreSum<TVec, TL>(c, s0, p.Alpha, p.Beta);
        StoreSum<TVec, TL>(c + p.Ldc, s1, p.Alpha, p.Beta);
    }

    /// <summary>The last, odd A row (or the only one: m = 1) against four B rows.</summary>
    private static void Dot1x4<TVec, TL>(in SgemmProblem p, float* x, float* y0, float* c)
        where TVec : struct
        where TL : struct, ISmallLanes<TVec>
    {
        nint ldb = p.ColStrideB;
        float* y1 = y0 + ldb, y2 = y1 + ldb, y3 = y2 + ldb;
        TVec s0 = TL.Zero, s1 = TL.Zero, s2 = TL.Zero, s3 = TL.Zero;
        int q = 0;
        for (; q + TL.Count <= p.K; q += TL.Count)
        {
            var a = TL.Load(x + q);
            s0 = TL.MultiplyAdd(a, TL.Load(y0 + q), s0);
            s1 = TL.MultiplyAdd(a, TL.Load(y1 + q), s1);
            s2 = TL.MultiplyAdd(a, TL.Load(y2 + q), s2);
            s3 = TL.MultiplyAdd(a, TL.Load(y3 + q), s3);
        }

        if (q < p.K)
        {
            var tail = TL.FirstLanes(p.K - q);
            var a = TL.LoadLanes(x + q, tail);
            s0 = TL.MultiplyAdd(a, TL.LoadLanes(y0 + q, tail), s0);
            s1 = TL.MultiplyAdd(a, TL.LoadLanes(y1 + q, tail), s1);
            s2 = TL.MultiplyAdd(a, TL.LoadLanes(y2 + q, tail), s2);
            s3 = TL.MultiplyAdd(a, TL.LoadLanes(y3 + q, tail), s3);
        }

        TL.StoreSums4(c, s0, s1, s2, s3, p.Alpha, p.Beta);
    }

    /// <summary>One dot product.</summary>
    private static void Dot1x1<TVec, TL>(in SgemmProblem p, float* x, float* y, float* c)
        where TVec : struct
        where TL : struct, ISmallLanes<TVec>
    {
        TVec s = TL.Zero;
        int q = 0;
        for (; q + TL.Count <= p.K; q += TL.Count) s = TL.MultiplyAdd(TL.Load(x + q), TL.Load(y + q), s);
        if (q < p.K)
        {
            var tail = TL.FirstLanes(p.K - q);
            s = TL.MultiplyAdd(TL.LoadLanes(x + q, tail), TL.LoadLanes(y + q, tail), s);
        }

        StoreSum<TVec, TL>(c, s, p.Alpha, p.Beta);
    }

    // ---- stores: C = alpha·sum + beta·C, where beta 0 never reads C ----

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<TVec, TL>(float* c, TVec sum, TVec alpha, float beta)
        where TVec : struct
        where TL : struct, ISmallLanes<TVec>
    {
        var r = TL.Multiply(alpha, sum);
        if (beta != 0f) r = TL.MultiplyAdd(TL.Broadcast(beta), TL.Load(c), r);
        TL.Store(c, r);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store4<TVec, TL>(float* c, TVec s0, TVec s1, TVec s2, TVec s3, TVec alpha, float beta)
        where TVec : struct
        where TL : struct, ISmallLanes<TVec>
    {
        Store<TVec, TL>(c, s0, alpha, beta);
        Store<TVec, TL>(c + TL.Count, s1, alpha, beta);
        Store<TVec, TL>(c + 2 * TL.Count, s2, alpha, beta);
        Store<TVec, TL>(c + 3 * TL.Count, s3, alpha, beta);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreLanes<TVec, TL>(float* c, TVec sum, TVec lanes, TVec alpha, float beta)
        where TVec : struct
        where TL : struct, ISmallLanes<TVec>
    {
        var r = TL.Multiply(alpha, sum);
        if (beta != 0f) r = TL.MultiplyAdd(TL.Broadcast(beta), TL.LoadLanes(c, lanes), r);
        TL.StoreLanes(c, lanes, r);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreSum<TVec, TL>(float* c, TVec sum, float alpha, float beta)
        where TVec : struct
        where TL : struct, ISmallLanes<TVec>
    {
        float r = alpha * TL.Sum(sum);
        *c = beta == 0f ? r : beta * *c + r;
    }
}
