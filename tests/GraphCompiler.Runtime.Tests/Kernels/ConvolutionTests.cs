using GraphCompiler.Runtime.Kernels;

namespace GraphCompiler.Runtime.Tests.Kernels;

/// <summary>
/// The implicit-GEMM convolution and its gradients, and pooling, against plain loops over every tap in
/// double precision, on random geometries: odd sizes, strides 2, dilation 2, SAME (asymmetric) and
/// VALID padding, one channel, batch 1, 1×1 kernels, and images big enough for several GEMM slabs.
/// </summary>
public class ConvolutionTests
{
    /// <summary>A geometry with TensorFlow's output size and padding (derived here independently of the compiler).</summary>
    internal static WindowGeometry Geometry(int n, int h, int w, int c, int kh, int kw, int o, int sh, int sw, int dh, int dw, bool same)
    {
        (int Out, int Before) Axis(int input, int k, int s, int d)
        {
            int span = (k - 1) * d + 1;
            if (!same) return ((input - span) / s + 1, 0);
            int output = (input + s - 1) / s;
            return (output, Math.Max((output - 1) * s + span - input, 0) / 2);
        }
        var (oh, top) = Axis(h, kh, sh, dh);
        var (ow, left) = Axis(w, kw, sw, dw);
        return new WindowGeometry(n, h, w, c, kh, kw, o, oh, ow, sh, sw, dh, dw, top, left);
    }

    public static IEnumerable<object[]> Geometries()
    {
        // batch, h, w, c, kh, kw, o, sh, sw, dh, dw, same
        yield return new object[] { 1, 5, 7, 1, 3, 3, 1, 1, 1, 1, 1, true };
        yield return new object[] { 2, 6, 5, 3, 3, 2, 4, 2, 2, 1, 1, true };
        yield return new object[] { 1, 9, 8, 2, 3, 3, 5, 1, 1, 2, 2, true };
        yield return new object[] { 3, 7, 7, 4, 2, 3, 3, 2, 1, 1, 1, false };
        yield return new object[] { 1, 8, 9, 1, 3, 2, 2, 1, 1, 2, 1, false };
        yield return new object[] { 2, 4, 4, 5, 1, 1, 7, 1, 1, 1, 1, false };
        yield return new object[] { 1, 4, 4, 3, 1, 1, 2, 2, 2, 1, 1, true };
        yield return new object[] { 4, 30, 28, 64, 3, 3, 9, 1, 1, 1, 1, true }; // four slabs of patches
        yield return new object[] { 3, 17, 19, 5, 3, 3, 4, 1, 1, 1, 1, true };  // a slab gathered in two uneven blocks of rows
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void ConvolutionAndGradientsMatchTapLoops(int n, int h, int w, int c, int kh, int kw, int o, int sh, int sw, int dh, int dw, bool same)
    {
        var g = Geometry(n, h, w, c, kh, kw, o, sh, sw, dh, dw, same);
        var rng = new System.Random(h * 131 + w * 17 + c + o);
        var x = TestData.Floats(rng, g.InputLength);
        var f = TestData.Floats(rng, g.PatchSize * o);
        var bias = TestData.Floats(rng, o);
        var dy = TestData.Floats(rng, g.OutputPixels * o);

        var y = new float[g.OutputPixels * o];
        Convolution.Forward(g, x, f, bias, relu: true, y);
        var yRef = new double[y.Length];
        var dxRef = new double[x.Length];
        var dfRef = new double[f.Length];
        ForEachTap(g, (row, at, tap) =>
        {
            for (int p = 0; p < c; p++)
                for (int q = 0; q < o; q++)
                {
                    int fi = (tap * c + p) * o + q;
                    yRef[row * o + q] += (double)x[at + p] * f[fi];
                    dxRef[at + p] += (double)dy[row * o + q] * f[fi];
                    dfRef[fi] += (double)x[at + p] * dy[row * o + q];
                }
        });
        for (int i = 0; i < y.Length; i++) yRef[i] = Math.Max(yRef[i] + bias[i % o], 0);
        AssertClose(yRef, y);

        var dx = Enumerable.Repeat(float.NaN, x.Length).ToArray();
        Convolution.BackpropInput(g, dy, f, dx);
        AssertClose(dxRef, dx);
        var df = Enumerable.Repeat(float.NaN, f.Length).ToArray();
        Convolution.BackpropFilter(g, x, dy, df);
        AssertClose(dfRef, df);
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void PoolingMatchesTapLoops(int n, int h, int w, int c, int kh, int kw, int o, int sh, int sw, int dh, int dw, bool same)
    {
        _ = o;
        var g = Geometry(n, h, w, c, kh, kw, c, sh, sw, dh, dw, same);
        var rng = new System.Random(h * 7 + w * 3 + c);
        var x = TestData.Floats(rng, g.InputLength);
        var dy = TestData.Floats(rng, g.OutputPixels * c);
        var maxRef = Enumerable.Repeat(double.NegativeInfinity, dy.Length).ToArray();
        var argmax = new int[dy.Length];
        var sumRef = new double[dy.Length];
        var counts = new int[g.OutputPixels];
        ForEachTap(g, (row, at, tap) =>
        {
            counts[row]++;
            for (int p = 0; p < c; p++)
            {
                if (x[at + p] > maxRef[row * c + p]) (maxRef[row * c + p], argmax[row * c + p]) = (x[at + p], at + p);
                sumRef[row * c + p] += x[at + p];
            }
        });
        var maxDx = new double[x.Length];
        var avgDx = new double[x.Length];
        for (int i = 0; i < dy.Length; i++) maxDx[argmax[i]] += dy[i];
        ForEachTap(g, (row, at, tap) =>
        {
            for (int p = 0; p < c; p++) avgDx[at + p] += (double)dy[row * c + p] / counts[row];
        });

        var y = new float[dy.Length];
        Pooling.Max<float>(g, x, y);
        AssertClose(maxRef, y);
        Pooling.Average<float>(g, x, y);
        AssertClose(sumRef.Select((s, i) => s / counts[i / c]).ToArray(), y);
        var dx = new float[x.Length];
        Pooling.MaxGrad<float>(g, x, dy, dx);
        AssertClose(maxDx, dx);
        // With a relu's mask (x read as the relu's output): only windows whose maximum is positive pass dy on.
        var maskedDx = new double[x.Length];
        for (int i = 0; i < dy.Length; i++) if (x[argmax[i]] > 0) maskedDx[argmax[i]] += dy[i];
        Pooling.MaxGrad<float>(g, x, dy, dx, positiveOnly: true);
        AssertClose(maskedDx, dx);
        Pooling.AverageGrad<float>(g, dy, dx);
        AssertClose(avgDx, dx);
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void DepthwiseConvolutionAndGradientsMatchTapLoopsInSingleAndDoublePrecision(int n, int h, int w, int c, int kh, int kw, int o, int sh, int sw, int dh, int dw, bool same)
    {
        int m = 1 + o % 3, cm = c * m;
        var g = Geometry(n, h, w, c, kh, kw, cm, sh, sw, dh, dw, same);
        var rng = new System.Random(h * 29 + w * 5 + c + m);
        var x = TestData.Floats(rng, g.InputLength);
        var f = TestData.Floats(rng, kh * kw * cm);
        var dy = TestData.Floats(rng, g.OutputPixels * cm);
        double[] yRef = new double[dy.Length], dxRef = new double[x.Length], dfRef = new double[f.Length];
        ForEachTap(g, (row, at, tap) =>
        {
            for (int p = 0; p < c; p++)
                for (int q = 0; q < m; q++)
                {
                    int fi = tap * cm + p * m + q, yi = row * cm + p * m + q;
                    yRef[yi] += (double)x[at + p] * f[fi];
                    dxRef[at + p] += (double)dy[yi] * f[fi];
                    dfRef[fi] += (double)x[at + p] * dy[yi];
                }
        });

        float[] y = Enumerable.Repeat(float.NaN, dy.Length).ToArray(), dx = Enumerable.Repeat(float.NaN, x.Length).ToArray(), df = Enumerable.Repeat(float.NaN, f.Length).ToArray();
        DepthwiseConvolution.Forward<float>(g, x, f, y);
        DepthwiseConvolution.BackpropInput<float>(g, dy, f, dx);
        DepthwiseConvolution.BackpropFilter<float>(g, x, dy, df);
        AssertClose(yRef, y);
        AssertClose(dxRef, dx);
        AssertClose(dfRef, df);

        double[] Doubles(float[] v) => v.Select(e => (double)e).ToArray();
        double[] yd = new double[y.Length], dxd = new double[x.Length], dfd = new double[f.Length];
        DepthwiseConvolution.Forward<double>(g, Doubles(x), Doubles(f), yd);
        DepthwiseConvolution.BackpropInput<double>(g, Doubles(dy), Doubles(f), dxd);
        DepthwiseConvolution.BackpropFilter<double>(g, Doubles(x), Doubles(dy), dfd);
        foreach (var (expected, actual) in new[] { (yRef, yd), (dxRef, dxd), (dfRef, dfd) })
            for (int i = 0; i < expected.Length; i++) Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-12 * (1 + Math.Abs(expected[i])), $"[{i}]: {expected[i]} vs {actual[i]}");
    }

    [Fact]
    public void ADepthwiseGeometryWhoseOutputIsNotAMultipleOfItsChannelsIsRejected()
    {
        var g = Geometry(1, 4, 4, 2, 3, 3, 3, 1, 1, 1, 1, true);
        var e = Assert.Throws<ArgumentException>(() => DepthwiseConvolution.Forward<float>(g, new float[32], new float[27], new float[48]));
        Assert.Contains("multiple of its input channels", e.Message);
    }

    [Fact]
    public void ASpanOfTheWrongLengthIsRejected()
    {
        var g = Geometry(1, 4, 4, 2, 3, 3, 2, 1, 1, 1, 1, true);
        var e = Assert.Throws<ArgumentException>(() => Convolution.Forward(g, new float[31], new float[36], default, false, new float[32]));
        Assert.Contains("image has 31 values", e.Message);
    }

    /// <summary>Calls back (output row, input offset, tap index ky·kw + kx) for every tap inside the image.</summary>
    private static void ForEachTap(WindowGeometry g, Action<int, int, int> tap)
    {
        for (int b = 0; b < g.Batch; b++)
            for (int oy = 0; oy < g.OutHeight; oy++)
                for (int ox = 0; ox < g.OutWidth; ox++)
                    for (int ky = 0; ky < g.KernelHeight; ky++)
                        for (int kx = 0; kx < g.KernelWidth; kx++)
                        {
                            int iy = oy * g.StrideH - g.PadTop + ky * g.DilationH, ix = ox * g.StrideW - g.PadLeft + kx * g.DilationW;
                            if (iy < 0 || iy >= g.Height || ix < 0 || ix >= g.Width) continue;
                            tap((b * g.OutHeight + oy) * g.OutWidth + ox, ((b * g.Height + iy) * g.Width + ix) * g.Channels, ky * g.KernelWidth + kx);
                        }
    }

    private static void AssertClose(double[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-4 + 1e-4 * Math.Abs(expected[i]), $"[{i}]: expected {expected[i]}, got {actual[i]}");
    }
}
