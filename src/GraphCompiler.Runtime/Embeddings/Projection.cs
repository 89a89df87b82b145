namespace GraphCompiler.Runtime.Embeddings;

/// <summary>
/// Projections of chosen rows of an embedding matrix to a few dimensions for plotting: PCA (linear,
/// keeps the global layout) and t-SNE (non-linear, keeps neighbourhoods). Both return the points
/// row-major: point <c>i</c> (the vector of <c>rows[i]</c>) has coordinates
/// <c>result[i·dims .. i·dims + dims − 1]</c>.
/// </summary>
public static class Projection
{
    /// <summary>
    /// Principal component analysis of the rows <paramref name="rows"/>: the rows are centred on their
    /// mean and projected onto the <paramref name="dims"/> leading eigenvectors of their covariance
    /// <c>C = XᵀX / n</c> (found by power iteration with deflation, in double precision). Each axis is
    /// oriented so that its largest-magnitude component is positive, so the result is deterministic.
    /// </summary>
    /// <returns>[rows.Length, dims] coordinates, row-major.</returns>
    /// <exception cref="ArgumentException">No rows, a row id out of range, or dims larger than the embedding size.</exception>
    public static float[] Pca(EmbeddingMatrix embeddings, int[] rows, int dims = 2)
    {
        var centred = CentredRows(embeddings, rows);
        if (dims < 1 || dims > embeddings.Dimension)
            throw new ArgumentOutOfRangeException(nameof(dims), dims, $"PCA dims must be in 1..{embeddings.Dimension} (the embedding size)");
        var axes = PrincipalAxes(centred, rows.Length, embeddings.Dimension, dims);
        return Project(centred, rows.Length, embeddings.Dimension, axes, dims);
    }

    /// <summary>
    /// t-SNE (van der Maaten and Hinton, 2008) of the rows <paramref name="rows"/> to 2-D, exact (every
    /// pair, O(n²) per iteration), with squared Euclidean distances between the given vectors (pass
    /// <see cref="EmbeddingMatrix.Normalized"/> vectors for cosine geometry). Input affinities
    /// <c>p_j|i ∝ exp(−β_i‖x_i − x_j‖²)</c> with β_i set by bisection so each row has the requested
    /// perplexity, symmetrised <c>p_ij = (p_j|i + p_i|j) / 2n</c>; output affinities Student-t,
    /// <c>q_ij ∝ (1 + ‖y_i − y_j‖²)⁻¹</c>; gradient descent on KL(P‖Q),
    /// <c>∂/∂y_i = 4 Σ_j (p_ij − q_ij)(y_i − y_j)(1 + ‖y_i − y_j‖²)⁻¹</c>, with momentum, per-coordinate
    /// gains and early exaggeration of P (see <see cref="TsneOptions"/>). Points start from a Gaussian
    /// of standard deviation 10⁻⁴ drawn from <see cref="TsneOptions.Seed"/>, so the same input and
    /// options give the same output at any thread count.
    /// </summary>
    /// <returns>[rows.Length, 2] coordinates, row-major, centred on 0.</returns>
    /// <exception cref="ArgumentException">Fewer than 2 rows, more than <see cref="TsneOptions.MaxPoints"/>, a row id out of range, or bad options.</exception>
    public static float[] Tsne(EmbeddingMatrix embeddings, int[] rows, TsneOptions? options = null)
    {
        options ??= new TsneOptions();
        options.Validate();
        var centred = CentredRows(embeddings, rows);
        if (rows.Length < 2)
            throw new ArgumentException("t-SNE needs at least 2 points", nameof(rows));
        if (rows.Length > TsneOptions.MaxPoints)
            throw new ArgumentException($"exact t-SNE of {rows.Length} points would need {(long)rows.Length * rows.Length * 8 / (1 << 20)} MiB and O(n²) time per iteration; use at most {TsneOptions.MaxPoints}", nameof(rows));
        return TsneOptimizer.Run(centred, rows.Length, embeddings.Dimension, options);
    }

    // The chosen rows in double, minus their mean (PCA needs it; t-SNE distances do not care, and
    // centring first keeps their squares small).
    private static double[] CentredRows(EmbeddingMatrix embeddings, int[] rows)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Length == 0) throw new ArgumentException("no rows to project", nameof(rows));
        int d = embeddings.Dimension;
        var x = new double[rows.Length * d];
        var mean = new double[d];
        for (int i = 0; i < rows.Length; i++)
        {
            if ((uint)rows[i] >= (uint)embeddings.VocabularySize)
                throw new ArgumentOutOfRangeException(nameof(rows), $"rows[{i}] = {rows[i]} is not a row of the {embeddings.VocabularySize}-row embedding matrix");
            var row = embeddings.Row(rows[i]);
            for (int k = 0; k < d; k++)
            {
                x[i * d + k] = row[k];
                mean[k] += row[k];
            }
        }
        for (int k = 0; k < d; k++) mean[k] /= rows.Length;
        for (int i = 0; i < rows.Length; i++)
            for (int k = 0; k < d; k++) x[i * d + k] -= mean[k];
        return x;
    }

    /// <summary>The <paramref name="count"/> leading unit eigenvectors of the covariance of centred rows, [count, d] row-major.</summary>
    internal static double[] PrincipalAxes(double[] centred, int n, int d, int count)
    {
        // The d×d covariance is cheap for embedding sizes (d ≤ a few hundred) and makes each power
        // step O(d²) instead of O(n·d).
        var covariance = new double[d * d];
        for (int i = 0; i < n; i++)
        {
            int offset = i * d;
            for (int a = 0; a < d; a++)
            {
                double xa = centred[offset + a];
                if (xa == 0) continue;
                for (int b = a; b < d; b++) covariance[a * d + b] += xa * centred[offset + b];
            }
        }
        for (int a = 0; a < d; a++)
            for (int b = a; b < d; b++)
            {
                covariance[a * d + b] /= n;
                covariance[b * d + a] = covariance[a * d + b];
            }

        var axes = new double[count * d];
        var v = new double[d];
        var next = new double[d];
        for (int c = 0; c < count; c++)
        {
            // A fixed start with every component non-zero, so no eigenvector is orthogonal to it by symmetry.
            for (int k = 0; k < d; k++) v[k] = 1.0 + 0.1 * ((k * 7919) % 13);
            Orthogonalize(v, axes, c, d);
            if (!Normalize(v)) break; // the rows span fewer than `count` directions: the rest stay 0
            for (int iteration = 0; iteration < 2000; iteration++)
            {
                for (int a = 0; a < d; a++)
                {
                    double sum = 0;
                    for (int b = 0; b < d; b++) sum += covariance[a * d + b] * v[b];
                    next[a] = sum;
                }
                // Deflation by projection: keep the iterate orthogonal to the axes already found.
                Orthogonalize(next, axes, c, d);
                if (!Normalize(next)) break;
                double change = 0;
                for (int k = 0; k < d; k++) change = Math.Max(change, Math.Abs(next[k] - v[k]));
                (v, next) = (next, v);
                if (change < 1e-12) break;
            }
            int largest = 0;
            for (int k = 1; k < d; k++) if (Math.Abs(v[k]) > Math.Abs(v[largest])) largest = k;
            double sign = v[largest] < 0 ? -1 : 1;
            for (int k = 0; k < d; k++) axes[c * d + k] = sign * v[k];
        }
        return axes;
    }

    internal static float[] Project(double[] centred, int n, int d, double[] axes, int count)
    {
        var result = new float[n * count];
        for (int i = 0; i < n; i++)
            for (int c = 0; c < count; c++)
            {
                double sum = 0;
                for (int k = 0; k < d; k++) sum += centred[i * d + k] * axes[c * d + k];
                result[i * count + c] = (float)sum;
            }
        return result;
    }

    private static void Orthogonalize(double[] v, double[] axes, int found, int d)
    {
        for (int c = 0; c < found; c++)
        {
            double dot = 0;
            for (int k = 0; k < d; k++) dot += v[k] * axes[c * d + k];
            for (int k = 0; k < d; k++) v[k] -= dot * axes[c * d + k];
        }
    }

    private static bool Normalize(double[] v)
    {
        double norm = 0;
        foreach (var value in v) norm += value * value;
        norm = Math.Sqrt(norm);
        if (!(norm > 1e-150)) return false;
        for (int k = 0; k < v.Length; k++) v[k] /= norm;
        return true;
    }
}
