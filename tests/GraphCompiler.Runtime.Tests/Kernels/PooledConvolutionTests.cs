using GraphCompiler.Runtime.Kernels;

namespace GraphCompiler.Runtime.Tests.Kernels;

/// <summary>
/// The convolution with its pooling fused into the store against the two routines run one after the other,
/// bit for bit: max and average pooling, SAME and VALID pooling windows, strides smaller and larger than the
/// window, batch 1, odd sizes, with the convolution's output kept and not kept, on the direct path and on the
/// GEMM path (a patch too large for the direct loops).
/// </summary>
public class PooledConvolutionTests
{
    public static IEnumerable<object[]> Cases()
    {
        // convolution: batch, h, w, c, kh, kw, o, stride, same; pooling: k, stride, same
        foreach (bool max in new[] { true, false })
        {
            yield return new object[] { 4, 8, 8, 1, 3, 3, 16, 1, false, 2, 2, false, max };   // the digits CNN's layer
            yield return new object[] { 1, 7, 9, 2, 3, 3, 5, 1, true, 3, 2, true, max };     // stride < window, SAME, odd channels
            yield return new object[] { 3, 9, 7, 3, 3, 2, 8, 2, true, 2, 3, false, max };    // stride > window
            yield return new object[] { 2, 6, 6, 9, 3, 3, 8, 1, true, 2, 2, true, max };     // patch 81: the GEMM path
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void PoolingInTheStoreMatchesConvolutionThenPooling(int n, int h, int w, int c, int kh, int kw, int o, int s, bool same, int pk, int ps, bool poolSame, bool max)
    {
        var g = ConvolutionTests.Geometry(n, h, w, c, kh, kw, o, s, s, 1, 1, same);
        var pool = ConvolutionTests.Geometry(n, g.OutHeight, g.OutWidth, o, pk, pk, o, ps, ps, 1, 1, poolSame);
        var rng = new System.Random(h * 31 + w + c * 7 + pk);
        var x = TestData.Floats(rng, g.InputLength);
        var f = TestData.Floats(rng, g.PatchSize * o);
        var bias = TestData.Floats(rng, o);

        var y = new float[g.OutputPixels * o];
        var expected = new float[pool.OutputPixels * o];
        Convolution.Forward(g, x, f, bias, relu: true, y);
        if (max) Pooling.Max<float>(pool, y, expected);
        else Pooling.Average<float>(pool, y, expected);

        var kept = Enumerable.Repeat(float.NaN, y.Length).ToArray();
        var pooled = Enumerable.Repeat(float.NaN, expected.Length).ToArray();
        PooledConvolution.Forward(g, pool, max, x, f, bias, relu: true, kept, pooled);
        Assert.Equal(expected, pooled);
        Assert.Equal(y, kept);

        var alone = Enumerable.Repeat(float.NaN, expected.Length).ToArray();
        PooledConvolution.Forward(g, pool, max, x, f, bias, relu: true, Span<float>.Empty, alone);
        Assert.Equal(expected, alone);
    }

    [Fact]
    public void APoolingWindowOverAnotherImageIsRejected()
    {
        var g = ConvolutionTests.Geometry(1, 6, 6, 1, 3, 3, 4, 1, 1, 1, 1, false);
        var pool = ConvolutionTests.Geometry(1, 5, 4, 4, 2, 2, 4, 2, 2, 1, 1, false);
        var e = Assert.Throws<ArgumentException>(() => PooledConvolution.Forward(g, pool, true, new float[36], new float[36], default, false, default, new float[16]));
        Assert.Contains("does not read the convolution's output", e.Message);
    }
}
