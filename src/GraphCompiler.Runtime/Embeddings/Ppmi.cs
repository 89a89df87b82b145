using GraphCompiler.Runtime.Linalg;

namespace GraphCompiler.Runtime.Embeddings;

/// <summary>
/// Positive pointwise mutual information of a co-occurrence matrix, with the two refinements Levy,
/// Goldberg and Dagan (2015) recommend: context-distribution smoothing and an optional shift.
/// </summary>
public static class Ppmi
{
    /// <summary>The smoothing exponent Levy et al. (and word2vec's noise distribution) use.</summary>
    public const double DefaultAlpha = 0.75;

    /// <summary>
    /// PPMI(w, c) = max(0, log(P(w, c) / (P(w)·P_α(c))) − log k) with P(w, c) = X[w,c] / N, P(w) = X[w,·] / N
    /// (N = Σ X, X[w,·] the row sum) and the smoothed context distribution P_α(c) = X[·,c]^α / Σ_c' X[·,c']^α
    /// (α = 1: plain PMI). N cancels, so an entry is log X[w,c] − log X[w,·] − log P_α(c) − log k.
    /// Entries that come out 0 are not stored, so the result is at most as dense as the counts.
    /// </summary>
    /// <param name="counts">Co-occurrence counts (rows words, columns contexts), nonnegative.</param>
    /// <param name="alpha">Context-distribution smoothing exponent in (0, 1].</param>
    /// <param name="shift">k ≥ 1: PMI is shifted down by log k (k = 1 for no shift), as SGNS with k negatives implicitly does.</param>
    /// <exception cref="ArgumentOutOfRangeException">alpha outside (0, 1] or shift below 1.</exception>
    public static SparseMatrix Compute(SparseMatrix counts, double alpha = DefaultAlpha, double shift = 1)
    {
        ArgumentNullException.ThrowIfNull(counts);
        if (!(alpha > 0 && alpha <= 1)) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "the smoothing exponent must lie in (0, 1]");
        if (!(shift >= 1)) throw new ArgumentOutOfRangeException(nameof(shift), shift, "the shift k must be at least 1 (log k ≥ 0)");
        var rowSums = counts.RowSums();
        var columnSums = counts.ColumnSums();
        double smoothedTotal = columnSums.Sum(s => Math.Pow(s, alpha));
        // log P_α(c) + log k: what every entry of a column shares.
        double logShift = Math.Log(shift);
        var logContext = columnSums.Select(s => s > 0 ? alpha * Math.Log(s) - Math.Log(smoothedTotal) + logShift : 0).ToArray();

        var columns = new int[counts.NonZeros];
        var values = new float[counts.NonZeros];
        // Rows are independent; each writes its kept entries from its own start, compacted afterwards.
        var kept = new int[counts.Rows];
        Parallel.For(0, counts.Rows, i =>
        {
            var rowColumns = counts.RowColumns(i);
            var rowValues = counts.RowValues(i);
            long at = counts.RowStarts[i];
            double logRow = Math.Log(rowSums[i]);
            int n = 0;
            for (int e = 0; e < rowColumns.Length; e++)
            {
                if (!(rowValues[e] > 0)) continue;
                double pmi = Math.Log(rowValues[e]) - logRow - logContext[rowColumns[e]];
                if (pmi <= 0) continue;
                columns[at + n] = rowColumns[e];
                values[at + n] = (float)pmi;
                n++;
            }
            kept[i] = n;
        });
        return Compact(counts, kept, columns, values);
    }

    private static SparseMatrix Compact(SparseMatrix counts, int[] kept, int[] columns, float[] values)
    {
        var starts = new long[counts.Rows + 1];
        for (int i = 0; i < counts.Rows; i++) starts[i + 1] = starts[i] + kept[i];
        var outColumns = new int[starts[^1]];
        var outValues = new float[starts[^1]];
        for (int i = 0; i < counts.Rows; i++)
        {
            Array.Copy(columns, counts.RowStarts[i], outColumns, starts[i], kept[i]);
            Array.Copy(values, counts.RowStarts[i], outValues, starts[i], kept[i]);
        }
        return new SparseMatrix(counts.Rows, counts.ColumnCount, starts, outColumns, outValues);
    }
}
