namespace GraphCompiler.Runtime.Embeddings;

/// <summary>Spearman's rank correlation.</summary>
public static class RankCorrelation
{
    /// <summary>
    /// Ranks 1..n in ascending order of value; equal values share the average of the ranks they
    /// occupy (the "fractional" ranking), e.g. [10, 20, 20, 30] → [1, 2.5, 2.5, 4].
    /// </summary>
    public static double[] Ranks(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var order = Enumerable.Range(0, values.Count).ToArray();
        for (int i = 0; i < values.Count; i++)
            if (double.IsNaN(values[i])) throw new ArgumentException($"value at index {i} is NaN", nameof(values));
        Array.Sort(order, (x, y) => values[x].CompareTo(values[y]));
        var ranks = new double[values.Count];
        for (int start = 0; start < order.Length;)
        {
            int end = start;
            while (end + 1 < order.Length && values[order[end + 1]] == values[order[start]]) end++;
            double shared = (start + end) / 2.0 + 1;
            for (int i = start; i <= end; i++) ranks[order[i]] = shared;
            start = end + 1;
        }
        return ranks;
    }

    /// <summary>
    /// Spearman's ρ: the Pearson correlation of the fractional ranks of <paramref name="x"/> and
    /// <paramref name="y"/>, which handles ties correctly (the 1 − 6Σd²/(n(n²−1)) shortcut does not).
    /// NaN for fewer than two pairs or when either side has all values equal.
    /// </summary>
    public static double Spearman(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Count != y.Count) throw new ArgumentException($"{x.Count} values against {y.Count}", nameof(y));
        if (x.Count < 2) return double.NaN;
        return Pearson(Ranks(x), Ranks(y));
    }

    private static double Pearson(double[] x, double[] y)
    {
        double meanX = x.Average(), meanY = y.Average();
        double sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double dx = x[i] - meanX, dy = y[i] - meanY;
            sxy += dx * dy;
            sxx += dx * dx;
            syy += dy * dy;
        }
        return sxx == 0 || syy == 0 ? double.NaN : sxy / Math.Sqrt(sxx * syy);
    }
}
