using GraphCompiler.Runtime.Initializers;
using GraphCompiler.Runtime.Rng;

namespace GraphCompiler.Runtime.Tests.Initializers;

public class InitTests
{
    [Fact]
    public void Constants_zeros_and_ones()
    {
        var data = new float[6];
        InitializerKernels.Constant(data, [2, 3], 0.3f);
        Assert.All(data, v => Assert.Equal(0.3f, v));
        InitializerKernels.Constant(data, [2, 3], [-0.3f]);
        Assert.All(data, v => Assert.Equal(-0.3f, v));
        InitializerKernels.Constant(data, [2, 3], [1, 2, 3, 4, 5, 6]);
        Assert.Equal(new float[] { 1, 2, 3, 4, 5, 6 }, data);
        InitializerKernels.Zeros(data, [6]);
        Assert.All(data, v => Assert.Equal(0f, v));
        InitializerKernels.Ones(data, [3, 2]);
        Assert.All(data, v => Assert.Equal(1f, v));
        var scalar = new float[1];
        InitializerKernels.Constant(scalar, [], 7f);
        Assert.Equal(7f, scalar[0]);
    }

    [Fact]
    public void Wrong_shapes_and_value_counts_are_rejected()
    {
        var e = Assert.Throws<ArgumentException>(() => InitializerKernels.Zeros(new float[5], [2, 3]));
        Assert.Contains("[2, 3]", e.Message);
        var e2 = Assert.Throws<ArgumentException>(() => InitializerKernels.Constant(new float[6], [2, 3], [1f, 2f]));
        Assert.Contains("2 values", e2.Message);
        Assert.Throws<ArgumentException>(() => InitializerKernels.RandomNormal(new float[4], [-2, -2], 1, 1));
    }

    [Fact]
    public void Random_normal_has_requested_moments_and_is_deterministic()
    {
        var a = new float[200 * 500];
        InitializerKernels.RandomNormal(a, [200, 500], graphSeed: 1, opSeed: 2, mean: 0.5f, std: 0.1f);
        double mean = a.Average(v => (double)v);
        double sd = Math.Sqrt(a.Sum(v => (v - mean) * (v - mean)) / a.Length);
        Assert.InRange(mean, 0.5 - 0.002, 0.5 + 0.002);
        Assert.InRange(sd, 0.1 * 0.98, 0.1 * 1.02);

        var b = new float[a.Length];
        InitializerKernels.RandomNormal(b, [200, 500], 1, 2, 0.5f, 0.1f);
        Assert.Equal(a, b);
        InitializerKernels.RandomNormal(b, [200, 500], 1, 3, 0.5f, 0.1f);
        Assert.NotEqual(a, b);

        // The initializer is exactly the documented stream.
        var direct = new float[a.Length];
        new PhiloxStream(1, 2).FillNormal(direct, 0.5f, 0.1f);
        Assert.Equal(direct, a);
    }

    [Fact]
    public void Random_uniform_defaults_to_unit_interval_and_respects_bounds()
    {
        var a = new float[100_000];
        InitializerKernels.RandomUniform(a, [100_000], 3, 4);
        Assert.All(a, v => Assert.True(v >= 0f && v < 1f));
        Assert.InRange(a.Average(), 0.495, 0.505);
        InitializerKernels.RandomUniform(a, [100, 1000], 3, 4, min: -5f, max: -4f);
        Assert.All(a, v => Assert.True(v >= -5f && v < -4f));
    }

    [Fact]
    public void Truncated_normal_is_within_two_standard_deviations()
    {
        var a = new float[100_000];
        InitializerKernels.TruncatedNormal(a, [1000, 100], 5, 6, mean: 1f, std: 0.5f);
        Assert.All(a, v => Assert.True(v > 0f && v < 2f, $"{v} outside (0, 2)"));
        double mean = a.Average(v => (double)v);
        Assert.InRange(mean, 1 - 0.01, 1 + 0.01);
        Assert.True(a.Min() < 0.05f && a.Max() > 1.95f, "values should reach near both truncation bounds");
    }

    [Theory]
    [InlineData(new int[0], 1, 1)]
    [InlineData(new[] { 7 }, 7, 7)]
    [InlineData(new[] { 784, 100 }, 784, 100)]
    [InlineData(new[] { 3, 3, 16, 32 }, 144, 288)]
    [InlineData(new[] { 5, 8, 4 }, 40, 20)]
    public void Fans_follow_tensorflow(int[] shape, long fanIn, long fanOut)
    {
        Assert.Equal((fanIn, fanOut), InitializerKernels.ComputeFans(shape));
    }

    [Fact]
    public void Glorot_uniform_uses_the_fan_limit()
    {
        int[] shape = [3, 3, 16, 32];
        float limit = (float)Math.Sqrt(6.0 / (144 + 288));
        Assert.Equal(limit, InitializerKernels.GlorotUniformLimit(shape), 6);
        var a = new float[3 * 3 * 16 * 32];
        InitializerKernels.GlorotUniform(a, shape, 7, 8);
        Assert.All(a, v => Assert.True(v >= -limit && v < limit));
        // Uniform on [-l, l) has variance l^2/3 = 2 / (fan_in + fan_out).
        double variance = a.Average(v => (double)v * v);
        Assert.InRange(variance, 2.0 / 432 * 0.93, 2.0 / 432 * 1.07);
        Assert.True(a.Max() > 0.9f * limit && a.Min() < -0.9f * limit);

        // Empty tensors use TF's floor of 1 on the averaged fan instead of dividing by zero.
        Assert.Equal((float)Math.Sqrt(3.0), InitializerKernels.GlorotUniformLimit([0, 0]), 6);
        Assert.Equal((float)Math.Sqrt(3.0), InitializerKernels.GlorotUniformLimit([0, 1]), 6);
        Assert.Equal((float)Math.Sqrt(3.0 / 2.5), InitializerKernels.GlorotUniformLimit([0, 5]), 6);
    }

    [Fact]
    public void Glorot_normal_has_the_glorot_variance()
    {
        var a = new float[200 * 300];
        InitializerKernels.GlorotNormal(a, [200, 300], 1, 1);
        double variance = a.Average(v => (double)v * v);
        Assert.InRange(variance, 2.0 / 500 * 0.95, 2.0 / 500 * 1.05);
    }
}
