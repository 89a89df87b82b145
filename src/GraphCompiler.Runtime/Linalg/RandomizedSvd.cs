using GraphCompiler.Runtime.Kernels;
using GraphCompiler.Runtime.Text;

namespace GraphCompiler.Runtime.Linalg;

/// <summary>
/// Truncated SVD of a sparse matrix by the randomized range finder of Halko, Martinsson and Tropp
/// (2011): the range of A is sampled with a Gaussian test matrix, sharpened by power iterations
/// (alternating products with A and Aᵀ, re-orthonormalised after each so float precision is never
/// lost to the growing spread of singular values), and the small projected matrix B = QᵀA is
/// decomposed exactly. The sparse products are row-parallel multiply-adds; the dense products go
/// through <see cref="Gemm.Sgemm"/>.
/// </summary>
public static class RandomizedSvd
{
    /// <summary>
    /// The leading <paramref name="rank"/> singular values and left singular vectors of
    /// <paramref name="a"/>. Accuracy grows with <paramref name="oversampling"/> (extra sampled
    /// directions) and <paramref name="powerIterations"/>; the same seed gives the same result.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A rank below 1 or above the matrix's smaller side, or negative settings.</exception>
    public static TruncatedSvd Compute(SparseMatrix a, int rank, int oversampling = 10, int powerIterations = 2, ulong seed = 1)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentOutOfRangeException.ThrowIfLessThan(rank, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rank, Math.Min(a.Rows, a.ColumnCount));
        ArgumentOutOfRangeException.ThrowIfNegative(oversampling);
        ArgumentOutOfRangeException.ThrowIfNegative(powerIterations);
        int width = Math.Min(rank + oversampling, Math.Min(a.Rows, a.ColumnCount));
        var transpose = a.Transpose();

        var omega = Gaussian(a.ColumnCount * width, seed);
        var q = new float[a.Rows * width];
        var z = new float[a.ColumnCount * width];
        a.Multiply(omega, width, q);
        Orthonormalize(q, a.Rows, width);
        for (int i = 0; i < powerIterations; i++)
        {
            transpose.Multiply(q, width, z);
            Orthonormalize(z, a.ColumnCount, width);
            a.Multiply(z, width, q);
            Orthonormalize(q, a.Rows, width);
        }

        // Bᵀ = AᵀQ; the eigenvectors of B·Bᵀ are B's left singular vectors, its eigenvalues σ².
        transpose.Multiply(q, width, z);
        var gram = new float[width * width];
        Gemm.Sgemm(true, false, width, width, a.ColumnCount, 1f, z, width, z, width, 0f, gram, width);
        var (values, vectors) = SymmetricEigen.Decompose(Symmetrized(gram, width), width);

        var w = new float[width * rank];
        for (int r = 0; r < width; r++)
            for (int j = 0; j < rank; j++) w[r * rank + j] = (float)vectors[r * width + j];
        var u = new float[a.Rows * rank];
        Gemm.Sgemm(false, false, a.Rows, rank, width, 1f, q, width, w, rank, 0f, u, rank);
        var s = values.Take(rank).Select(l => Math.Sqrt(Math.Max(l, 0))).ToArray();
        return new TruncatedSvd(a.Rows, rank, u, s);
    }

    /// <summary>
    /// Replaces the columns of the row-major [rows, width] <paramref name="y"/> by an orthonormal basis of
    /// their span, by Cholesky QR twice (the second pass restores the orthogonality the first loses to
    /// rounding): G = YᵀY = RᵀR, Y ← Y·R⁻¹, both products through GEMM. A column that depends on the
    /// ones before it (its Cholesky pivot is negligible) becomes zero instead of noise.
    /// </summary>
    internal static void Orthonormalize(float[] y, int rows, int width)
    {
        var gram = new float[width * width];
        var result = new float[y.Length];
        for (int pass = 0; pass < 2; pass++)
        {
            Gemm.Sgemm(true, false, width, width, rows, 1f, y, width, y, width, 0f, gram, width);
            var inverse = InverseCholeskyFactor(Symmetrized(gram, width), width);
            Gemm.Sgemm(false, false, rows, width, width, 1f, y, width, inverse, width, 0f, result, width);
            result.CopyTo(y, 0);
        }
    }

    private static double[] Symmetrized(float[] m, int n)
    {
        var d = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) d[i * n + j] = 0.5 * ((double)m[i * n + j] + m[j * n + i]);
        return d;
    }

    // R⁻¹ for the upper-triangular Cholesky factor of G = RᵀR, with the rows and columns of negligible
    // pivots zeroed (those directions are already spanned by the columns before them).
    private static float[] InverseCholeskyFactor(double[] g, int n)
    {
        var r = new double[n * n];
        var live = new bool[n];
        double largest = Enumerable.Range(0, n).Max(i => g[i * n + i]);
        for (int j = 0; j < n; j++)
        {
            double d = g[j * n + j];
            for (int k = 0; k < j; k++) d -= r[k * n + j] * r[k * n + j];
            if (!(d > 1e-10 * largest)) continue;
            live[j] = true;
            r[j * n + j] = Math.Sqrt(d);
            for (int c = j + 1; c < n; c++)
            {
                double entry = g[j * n + c];
                for (int k = 0; k < j; k++) entry -= r[k * n + j] * r[k * n + c];
                r[j * n + c] = entry / r[j * n + j];
            }
        }
        // Back substitution, column by column of the inverse: R·X = I over the live indices.
        var inverse = new float[n * n];
        var x = new double[n];
        for (int c = 0; c < n; c++)
        {
            if (!live[c]) continue;
            Array.Clear(x);
            for (int i = c; i >= 0; i--)
            {
                if (!live[i]) continue;
                double sum = i == c ? 1 : 0;
                for (int k = i + 1; k <= c; k++) sum -= r[i * n + k] * x[k];
                x[i] = sum / r[i * n + i];
            }
            for (int i = 0; i <= c; i++) inverse[i * n + c] = (float)x[i];
        }
        return inverse;
    }

    private static float[] Gaussian(int count, ulong seed)
    {
        var random = new SplitMix64(seed);
        var values = new float[count];
        for (int i = 0; i < count; i += 2)
        {
            // Box–Muller: two independent normals from two uniforms.
            double u1 = 1 - random.NextDouble(), u2 = random.NextDouble();
            double radius = Math.Sqrt(-2 * Math.Log(u1));
            values[i] = (float)(radius * Math.Cos(2 * Math.PI * u2));
            if (i + 1 < count) values[i + 1] = (float)(radius * Math.Sin(2 * Math.PI * u2));
        }
        return values;
    }
}
