namespace GraphCompiler.Runtime.Linalg;

/// <summary>
/// Eigenvalues and eigenvectors of a small dense symmetric matrix by the cyclic Jacobi method:
/// plane rotations zero each off-diagonal entry in turn until the off-diagonal mass vanishes. Slow
/// (O(n³) a sweep) but simple and accurate to working precision, which is what the few-hundred-wide
/// matrices of a randomized SVD and the dense references of tests need.
/// </summary>
public static class SymmetricEigen
{
    /// <summary>
    /// Decomposes the symmetric n×n row-major <paramref name="matrix"/> (only symmetry is assumed; it is
    /// not modified) as V·diag(λ)·Vᵀ. Eigenvalues come in descending order; column j of the row-major
    /// <c>Vectors</c> is the unit eigenvector of <c>Values[j]</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The array is not n×n.</exception>
    public static (double[] Values, double[] Vectors) Decompose(ReadOnlySpan<double> matrix, int n)
    {
        if (matrix.Length != n * n) throw new ArgumentException($"{matrix.Length} values for a {n}×{n} matrix", nameof(matrix));
        var a = matrix.ToArray();
        var v = new double[n * n];
        for (int i = 0; i < n; i++) v[i * n + i] = 1;
        double scale = 0;
        foreach (double x in a) scale += x * x;
        for (int sweep = 0; sweep < 100; sweep++)
        {
            double off = 0;
            for (int p = 0; p < n; p++)
                for (int q = p + 1; q < n; q++) off += a[p * n + q] * a[p * n + q];
            if (off <= 1e-30 * scale || off == 0) break;
            for (int p = 0; p < n; p++)
                for (int q = p + 1; q < n; q++)
                    if (a[p * n + q] != 0) Rotate(a, v, n, p, q);
        }
        var order = Enumerable.Range(0, n).OrderByDescending(i => a[i * n + i]).ToArray();
        var values = order.Select(i => a[i * n + i]).ToArray();
        var vectors = new double[n * n];
        for (int r = 0; r < n; r++)
            for (int j = 0; j < n; j++) vectors[r * n + j] = v[r * n + order[j]];
        return (values, vectors);
    }

    // One rotation in the (p, q) plane that zeroes a[p, q] (Golub and Van Loan's symmetric Schur step).
    private static void Rotate(double[] a, double[] v, int n, int p, int q)
    {
        double apq = a[p * n + q];
        double theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
        double t = Math.Sign(theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
        if (theta == 0) t = 1;
        double c = 1 / Math.Sqrt(t * t + 1), s = t * c;
        for (int k = 0; k < n; k++)
        {
            double akp = a[k * n + p], akq = a[k * n + q];
            a[k * n + p] = c * akp - s * akq;
            a[k * n + q] = s * akp + c * akq;
        }
        for (int k = 0; k < n; k++)
        {
            double apk = a[p * n + k], aqk = a[q * n + k];
            a[p * n + k] = c * apk - s * aqk;
            a[q * n + k] = s * apk + c * aqk;
        }
        for (int k = 0; k < n; k++)
        {
            double vkp = v[k * n + p], vkq = v[k * n + q];
            v[k * n + p] = c * vkp - s * vkq;
            v[k * n + q] = s * vkp + c * vkq;
        }
    }
}
