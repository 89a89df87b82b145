using GraphCompiler.Runtime.Kernels;

namespace GraphCompiler.Runtime.Tests.Kernels;

public class ReduceTests
{
    private static readonly (int Outer, int Axis, int Inner)[] Shapes =
    [
        (1, 1, 1), (1, 7, 1), (3, 1, 5), (2, 33, 1), (4, 9, 17), (1, 100, 3), (5, 0, 3), (0, 4, 2),
        (2, 70, 9), (1, 3, 600), (3, 2100, 1), (2, 130, 520),
    ];

    private delegate void FloatReduce(ReadOnlySpan<float> x, Span<float> y, int outer, int axis, int inner);

    private static double[] Naive(float[] x, int outer, int axis, int inner, Func<IEnumerable<double>, double> fold)
    {
        var y = new double[outer * inner];
        for (int o = 0; o < outer; o++)
        for (int i = 0; i < inner; i++)
            y[o * inner + i] = fold(Enumerable.Range(0, axis).Select(a => (double)x[(o * axis + a) * inner + i]));
        return y;
    }

    private static void Check(KernelIsa isa, FloatReduce kernel, Func<IEnumerable<double>, double> fold, float scale, double relTol, string name)
    {
        var rng = new System.Random(3);
        foreach (var (outer, axis, inner) in Shapes)
        {
            var x = TestData.Floats(rng, outer * axis * inner, scale);
            if (name == "prod") for (int i = 0; i < x.Length; i++) x[i] = 1f + x[i]; // keep products finite and non-trivial
            var y = new float[outer * inner];
            using (KernelIsaSelector.Force(isa)) kernel(x, y, outer, axis, inner);
            var expected = Naive(x, outer, axis, inner, fold);
            for (int i = 0; i < y.Length; i++)
            {
                double e = expected[i];
                bool ok = double.IsNaN(e) ? float.IsNaN(y[i]) : double.IsInfinity(e) ? y[i] == e : Math.Abs(y[i] - e) <= relTol * (Math.Abs(e) + Math.Sqrt(axis));
                Assert.True(ok, $"{name} {isa} [{outer},{axis},{inner}] element {i}: {y[i]} vs {e}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(TestData.Isas), MemberType = typeof(TestData))]
    public void Sum_mean_max_min_prod_match_naive_reference(int isaValue)
    {
        var isa = (KernelIsa)isaValue;
        Check(isa, Reduce.Sum, v => v.Sum(), 1f, 1e-6, "sum");
        Check(isa, Reduce.Mean, v => v.Any() ? v.Average() : double.NaN, 1f, 1e-6, "mean");
        Check(isa, Reduce.Max, v => v.Any() ? v.Max() : double.NegativeInfinity, 1f, 0, "max");
        Check(isa, Reduce.Min, v => v.Any() ? v.Min() : double.PositiveInfinity, 1f, 0, "min");
        Check(isa, Reduce.Prod, v => v.Aggregate(1.0, (p, q) => p * q), 0.01f, 1e-5, "prod");
    }

    [Fact]
    public void Mean_of_empty_axis_is_nan_and_sum_is_zero()
    {
        var y = new float[3];
        Reduce.Mean([], y, 1, 0, 3);
        Assert.All(y, v => Assert.True(float.IsNaN(v)));
        Reduce.Sum([], y, 1, 0, 3);
        Assert.Equal(new float[3], y);
    }

    [Theory]
    [MemberData(nameof(TestData.Isas), MemberType = typeof(TestData))]
    public void Sum_of_a_million_floats_is_within_1e_minus_6_of_double_reference(int isaValue)
    {
        var rng = new System.Random(42);
        var x = new float[1_000_000];
        double exact = 0;
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (float)rng.NextDouble();
            exact += x[i];
        }

        var y = new float[1];
        using (KernelIsaSelector.Force((KernelIsa)isaValue)) Reduce.Sum(x, y, 1, x.Length, 1);
        Assert.True(Math.Abs(y[0] - exact) / exact < 1e-6, $"sum {y[0]} vs {exact}");

        // Along a long axis with inner > 1 too.
        var y2 = new float[4];
        using (KernelIsaSelector.Force((KernelIsa)isaValue)) Reduce.Sum(x, y2, 1, x.Length / 4, 4);
        for (int i = 0; i < 4; i++)
        {
            double e = 0;
            for (int a = i; a < x.Length; a += 4) e += x[a];
            Assert.True(Math.Abs(y2[i] - e) / e < 1e-6, $"column {i}: {y2[i]} vs {e}");
        }
    }

    [Fact]
    public void Double_sum_and_mean_match_reference()
    {
        var rng = new System.Random(8);
        var x = TestData.Doubles(rng, 2 * 50 * 3);
        var y = new double[6];
        var m = new double[6];
        Reduce.Sum(x, y, 2, 50, 3);
        Reduce.Mean(x, m, 2, 50, 3);
        for (int o = 0; o < 2; o++)
        for (int i = 0; i < 3; i++)
        {
            double s = 0;
            for (int a = 0; a < 50; a++) s += x[(o * 50 + a) * 3 + i];
            Assert.Equal(s, y[o * 3 + i], 1e-12);
            Assert.Equal(s / 50, m[o * 3 + i], 1e-12);
        }

        var flat = new double[1];
        Reduce.Sum(x, flat, 1, x.Length, 1);
        Assert.Equal(x.Sum(), flat[0], 1e-10);
    }

    [Theory]
    [MemberData(nameof(TestData.Isas), MemberType = typeof(TestData))]
    public void Max_and_min_propagate_nan(int isaValue)
    {
        using var _ = KernelIsaSelector.Force((KernelIsa)isaValue);
        var x = Enumerable.Range(0, 40).Select(i => (float)i).ToArray();
        x[29] = float.NaN;
        var y = new float[1];
        Reduce.Max(x, y, 1, 40, 1);
        Assert.True(float.IsNaN(y[0]));
        Reduce.Min(x, y, 1, 40, 1);
        Assert.True(float.IsNaN(y[0]));
        var cols = new float[10];
        Reduce.Max(x, cols, 1, 4, 10); // x[29] is column 9
        Assert.True(float.IsNaN(cols[9]));
        Assert.Equal(38f, cols[8]);
    }

    [Fact]
    public void ArgMax_and_ArgMin_pick_the_first_extreme_and_first_nan()
    {
        float[] x = [1, 5, 5, -2, -2, 0];
        var idx = new int[1];
        Reduce.ArgMax(x, idx, 1, 6, 1);
        Assert.Equal(1, idx[0]);
        Reduce.ArgMin(x, idx, 1, 6, 1);
        Assert.Equal(3, idx[0]);

        float[] withNan = [1, float.NaN, 9, float.NaN];
        Reduce.ArgMax(withNan, idx, 1, 4, 1);
        Assert.Equal(1, idx[0]);
        Reduce.ArgMin(withNan, idx, 1, 4, 1);
        Assert.Equal(1, idx[0]);

        // [outer=2, axis=3, inner=2] against a naive scan.
        var rng = new System.Random(9);
        var t = TestData.Floats(rng, 2 * 3 * 300);
        var got = new int[2 * 300];
        Reduce.ArgMax(t, got, 2, 3, 300);
        for (int o = 0; o < 2; o++)
        for (int i = 0; i < 300; i++)
        {
            int best = 0;
            for (int a = 1; a < 3; a++) if (t[(o * 3 + a) * 300 + i] > t[(o * 3 + best) * 300 + i]) best = a;
            Assert.Equal(best, got[o * 300 + i]);
        }
    }

    [Fact]
    public void Bad_extents_give_clear_errors()
    {
        var e = Assert.Throws<ArgumentException>(() => Reduce.Sum(new float[10], new float[2], 2, 4, 1));
        Assert.Contains("needs 8", e.Message);
        var e2 = Assert.Throws<ArgumentException>(() => Reduce.Max(new float[8], new float[3], 2, 4, 1));
        Assert.Contains("output", e2.Message);
        var e3 = Assert.Throws<ArgumentException>(() => Reduce.ArgMax([], new int[2], 2, 0, 1));
        Assert.Contains("empty axis", e3.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Reduce.Sum(Array.Empty<float>(), Array.Empty<float>(), -1, 0, 1));
    }
}
