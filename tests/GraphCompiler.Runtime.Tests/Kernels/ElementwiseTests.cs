using GraphCompiler.Runtime.Kernels;

namespace GraphCompiler.Runtime.Tests.Kernels;

public class ElementwiseTests
{
    public static TheoryData<int> Lengths() => [0, 1, 7, 16, 33, 1023, Elementwise.ParallelThreshold + 37];

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Binary_and_scalar_forms_match_scalar_math(int n)
    {
        var rng = new System.Random(n);
        var x = TestData.Floats(rng, n);
        var y = TestData.Floats(rng, n);
        for (int i = 0; i < n; i++) if (y[i] == 0) y[i] = 0.5f;
        var z = new float[n];

        void Expect(Func<int, float> f, string name)
        {
            for (int i = 0; i < n; i++)
                if (z[i] != f(i)) Assert.Fail($"{name}[{i}] = {z[i]}, expected {f(i)}");
        }

        Elementwise.Add(x, y, z); Expect(i => x[i] + y[i], "add");
        Elementwise.Sub(x, y, z); Expect(i => x[i] - y[i], "sub");
        Elementwise.Mul(x, y, z); Expect(i => x[i] * y[i], "mul");
        Elementwise.Div(x, y, z); Expect(i => x[i] / y[i], "div");
        Elementwise.Add(x, 2.5f, z); Expect(i => x[i] + 2.5f, "adds");
        Elementwise.Sub(x, 2.5f, z); Expect(i => x[i] - 2.5f, "subs");
        Elementwise.Sub(2.5f, x, z); Expect(i => 2.5f - x[i], "rsubs");
        Elementwise.Mul(x, 2.5f, z); Expect(i => x[i] * 2.5f, "muls");
        Elementwise.Div(x, 2.5f, z); Expect(i => x[i] / 2.5f, "divs");
        Elementwise.Div(2.5f, y, z); Expect(i => 2.5f / y[i], "rdivs");
        Elementwise.Scale(x, -3f, z); Expect(i => -3f * x[i], "scale");
        Elementwise.Fill(z, 4f); Expect(_ => 4f, "fill");
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Axpy_updates_in_place(int n)
    {
        var rng = new System.Random(n + 1);
        var x = TestData.Floats(rng, n);
        var y = TestData.Floats(rng, n);
        var expected = y.Select((v, i) => MathF.FusedMultiplyAdd(-0.1f, x[i], v)).ToArray();
        Elementwise.Axpy(-0.1f, x, y);
        for (int i = 0; i < n; i++) Assert.Equal(expected[i], y[i], 1e-6f);
    }

    [Fact]
    public void In_place_is_allowed_and_a_longer_destination_keeps_its_tail()
    {
        var x = new float[] { 1, 2, 3 };
        Elementwise.Mul(x, x, x);
        Assert.Equal(new float[] { 1, 4, 9 }, x);
        var z = new float[] { 0, 0, 0, 42 };
        Elementwise.Add(x, 1f, z);
        Assert.Equal(new float[] { 2, 5, 10, 42 }, z);
    }

    [Fact]
    public void Mismatched_lengths_and_shifted_overlap_are_rejected()
    {
        var e = Assert.Throws<ArgumentException>(() => Elementwise.Add(new float[3], new float[4], new float[4]));
        Assert.Contains("y has 4", e.Message);
        Assert.Throws<ArgumentException>(() => Elementwise.Mul(new float[3], 2f, new float[2]));
        Assert.Throws<ArgumentException>(() => Elementwise.Axpy(1f, new float[3], new float[4]));
        var buffer = new float[10];
        var e2 = Assert.Throws<ArgumentException>(() => Elementwise.Add(buffer.AsSpan(0, 5), 1f, buffer.AsSpan(2, 5)));
        Assert.Contains("partially overlaps", e2.Message);
    }
}
