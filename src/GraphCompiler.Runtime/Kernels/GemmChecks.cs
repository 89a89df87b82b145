namespace GraphCompiler.Runtime.Kernels;

/// <summary>Argument checks shared by the GEMM entry points, with messages that name the bad argument.</summary>
internal static class GemmChecks
{
    public static void Validate(bool transA, bool transB, int m, int n, int k,
        int aLength, int lda, int bLength, int ldb, int cLength, int ldc)
    {
        CheckDims(m, n, k);
        CheckMatrix("a", transA ? k : m, transA ? m : k, aLength, lda, "lda", transA);
        CheckMatrix("b", transB ? n : k, transB ? k : n, bLength, ldb, "ldb", transB);
        CheckMatrix("c", m, n, cLength, ldc, "ldc", false);
    }

    public static void ValidateBatch(bool transA, bool transB, int batch, int m, int n, int k,
        int aLength, int lda, int strideA, int bLength, int ldb, int strideB, int cLength, int ldc, int strideC)
    {
        if (batch < 0) throw new ArgumentOutOfRangeException(nameof(batch), batch, "GEMM batch count must be non-negative.");
        CheckDims(m, n, k);
        if (strideA < 0) throw new ArgumentOutOfRangeException(nameof(strideA), strideA, "GEMM strideA must be non-negative.");
        if (strideB < 0) throw new ArgumentOutOfRangeException(nameof(strideB), strideB, "GEMM strideB must be non-negative.");
        if (strideC < 0) throw new ArgumentOutOfRangeException(nameof(strideC), strideC, "GEMM strideC must be non-negative.");
        if (batch == 0) return;
        long cSpan = Footprint(m, n, ldc);
        if (batch > 1 && strideC < cSpan)
            throw new ArgumentException(
                $"GEMM strideC {strideC} is smaller than one output matrix ({cSpan} elements): batch outputs would overlap.",
                nameof(strideC));
        CheckBatchMatrix("a", transA ? k : m, transA ? m : k, aLength, lda, "lda", strideA, batch, transA);
        CheckBatchMatrix("b", transB ? n : k, transB ? k : n, bLength, ldb, "ldb", strideB, batch, transB);
        CheckBatchMatrix("c", m, n, cLength, ldc, "ldc", strideC, batch, false);
    }

    public static void NoOverlap<T>(Span<T> c, ReadOnlySpan<T> a, ReadOnlySpan<T> b)
    {
        ReadOnlySpan<T> cr = c;
        if (!c.IsEmpty && cr.Overlaps(a)) throw new ArgumentException("GEMM output c overlaps input a.", nameof(c));
        if (!c.IsEmpty && cr.Overlaps(b)) throw new ArgumentException("GEMM output c overlaps input b.", nameof(c));
    }

    private static void CheckDims(int m, int n, int k)
    {
        if (m < 0) throw new ArgumentOutOfRangeException(nameof(m), m, "GEMM dimension m must be non-negative.");
        if (n < 0) throw new ArgumentOutOfRangeException(nameof(n), n, "GEMM dimension n must be non-negative.");
        if (k < 0) throw new ArgumentOutOfRangeException(nameof(k), k, "GEMM dimension k must be non-negative.");
    }

    /// <summary>Elements a rows×cols matrix with row stride ld spans in memory.</summary>
    private static long Footprint(int rows, int cols, int ld) => rows == 0 || cols == 0 ? 0 : (long)(rows - 1) * ld + cols;

    private static void CheckMatrix(string name, int rows, int cols, int length, int ld, string ldName, bool transposed)
    {
        CheckStride(name, cols, ld, ldName, transposed);
        long need = Footprint(rows, cols, ld);
        if (length < need)
            throw new ArgumentException(
                $"GEMM matrix {name} is stored as {rows}x{cols}{(transposed ? " (transposed)" : "")} with {ldName}={ld}, " +
                $"which needs {need} elements, but the span has {length}.", name);
    }

    private static void CheckBatchMatrix(string name, int rows, int cols, int length, int ld, string ldName,
        int stride, int batch, bool transposed)
    {
        CheckStride(name, cols, ld, ldName, transposed);
        long one = Footprint(rows, cols, ld);
        long need = one == 0 ? 0 : (long)(batch - 1) * stride + one;
        if (length < need)
            throw new ArgumentException(
                $"Batched GEMM matrix {name}: {batch} matrices of {rows}x{cols}{(transposed ? " (transposed)" : "")} with " +
                $"{ldName}={ld} and stride {stride} need {need} elements, but the span has {length}.", name);
    }

    private static void CheckStride(string name, int cols, int ld, string ldName, bool transposed)
    {
        if (ld < Math.Max(1, cols))
            throw new ArgumentOutOfRangeException(ldName, ld,
                $"GEMM {ldName} must be at least {Math.Max(1, cols)}: the row length of {name} as stored" +
                $"{(transposed ? " (transposed)" : "")}.");
    }
}
