namespace GraphCompiler.Benchmarks.Compare;

/// <summary>Relative differences between two implementations' results.</summary>
public static class Agreement
{
    /// <summary><c>|a − b| / max(|a|, |b|, floor)</c>; the floor keeps values near zero from dominating.</summary>
    public static double RelativeDifference(double a, double b, double floor = 1e-6)
    {
        if (double.IsNaN(a) || double.IsNaN(b)) return double.PositiveInfinity;
        return Math.Abs(a - b) / Math.Max(floor, Math.Max(Math.Abs(a), Math.Abs(b)));
    }

    /// <summary>The largest element-wise <see cref="RelativeDifference"/>, relative to the largest magnitude of either span.</summary>
    public static double MaxRelativeDifference(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length) throw new ArgumentException($"lengths differ: {a.Length} and {b.Length}");
        double scale = 1e-6, worst = 0;
        for (int i = 0; i < a.Length; i++) scale = Math.Max(scale, Math.Max(Math.Abs(a[i]), Math.Abs(b[i])));
        for (int i = 0; i < a.Length; i++)
        {
            if (float.IsNaN(a[i]) || float.IsNaN(b[i])) return double.PositiveInfinity;
            worst = Math.Max(worst, Math.Abs(a[i] - b[i]) / scale);
        }
        return worst;
    }
}
