using System.Numerics;
using GraphCompiler.Runtime.Execution;

namespace GraphCompiler.Runtime.Tests.Execution;

/// <summary>The SIMD forms fused kernels call agree lane by lane with the scalar forms, edge values included.</summary>
public class VectorMathTests
{
    private static readonly float[] Edges =
    [
        0f, -0f, 1e-30f, -1e-30f, 1e-8f, -1e-8f, 1e-4f, 0.5f, -0.5f, 1f, -0.999999f, -1f, -1.5f, 3f, 20f, -20f, 88f, -88f, 100f, -100f,
        1e30f, -1e30f, float.PositiveInfinity, float.NegativeInfinity, float.NaN, float.MaxValue, float.Epsilon, 7.5e-3f,
    ];

    private static void ForEachVector(float[] values, Action<Vector<float>, int> check)
    {
        int n = Vector<float>.Count;
        var padded = values.Concat(Enumerable.Repeat(0.25f, (n - values.Length % n) % n)).ToArray();
        for (int i = 0; i < padded.Length; i += n) check(new Vector<float>(padded, i), i);
    }

    private static void AssertSame(double expected, double actual, string what)
    {
        if (double.IsNaN(expected)) Assert.True(double.IsNaN(actual), $"{what}: expected NaN, got {actual}");
        else if (double.IsInfinity(expected)) Assert.Equal(expected, actual);
        else Assert.True(Math.Abs(expected - actual) <= 4e-7 * Math.Abs(expected) + 1e-45, $"{what}: scalar {expected}, vector {actual}");
    }

    [Fact]
    public void Log1p_lanes_match_the_scalar_form()
    {
        ForEachVector(Edges, (v, at) =>
        {
            var r = CpuOps.Log1p(v);
            for (int j = 0; j < Vector<float>.Count; j++) AssertSame(CpuOps.Log1p(v[j]), r[j], $"log1p({v[j]})");
        });
        var d = CpuOps.Log1p(new Vector<double>(1e-12));
        Assert.Equal(CpuOps.Log1p(1e-12), d[0], 1e-24);
    }

    [Fact]
    public void Sigmoid_lanes_match_the_scalar_form_without_overflow()
    {
        ForEachVector(Edges, (v, at) =>
        {
            var r = CpuOps.Sigmoid(v);
            for (int j = 0; j < Vector<float>.Count; j++)
            {
                AssertSame(CpuOps.Sigmoid(v[j]), r[j], $"sigmoid({v[j]})");
                if (!float.IsNaN(v[j])) Assert.InRange(r[j], 0f, 1f);
            }
        });
        Assert.Equal(0.5, CpuOps.Sigmoid(new Vector<double>(0))[0]);
    }

    [Fact]
    public void Softplus_lanes_match_the_scalar_form_without_overflow()
    {
        ForEachVector(Edges, (v, at) =>
        {
            var r = CpuOps.Softplus(v);
            for (int j = 0; j < Vector<float>.Count; j++)
            {
                AssertSame(CpuOps.Softplus(v[j]), r[j], $"softplus({v[j]})");
                if (!float.IsNaN(v[j])) Assert.True(r[j] >= 0 && !float.IsNaN(r[j]), $"softplus({v[j]}) = {r[j]}");
            }
        });
        // Large arguments: softplus(x) = x, softplus(−x) = e^(−x), with no overflow on the way.
        Assert.Equal(100f, CpuOps.Softplus(100f));
        Assert.Equal(Math.Exp(-100), CpuOps.Softplus(new Vector<double>(-100))[0], 1e-55);
        Assert.Equal(Math.Log(2), CpuOps.Softplus(new Vector<double>(0))[0], 1e-15);
    }
}
