namespace GraphCompiler.Runtime.Linalg;

/// <summary>
/// The leading <see cref="Rank"/> singular triplets' left side of a matrix A ≈ U·diag(S)·Vᵀ: U is
/// [Rows, Rank] row-major with orthonormal columns, S descending.
/// </summary>
public sealed record TruncatedSvd(int Rows, int Rank, float[] U, double[] S)
{
    /// <summary>
    /// Word vectors U·diag(S)^p, one row per row of A: p = 1 is the plain SVD projection, p = 0.5 the
    /// symmetric split Levy et al. recommend for word similarity, p = 0 ignores the singular values.
    /// </summary>
    public float[] WeightedRows(double p)
    {
        var rows = new float[U.Length];
        var scale = S.Select(s => (float)Math.Pow(Math.Max(s, 0), p)).ToArray();
        for (int i = 0; i < Rows; i++)
            for (int j = 0; j < Rank; j++) rows[i * Rank + j] = U[i * Rank + j] * scale[j];
        return rows;
    }
}
