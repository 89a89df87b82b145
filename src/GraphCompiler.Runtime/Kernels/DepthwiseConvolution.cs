using System.Numerics;

namespace GraphCompiler.Runtime.Kernels;

/// <summary>
/// Depthwise 2-D convolution over NHWC images with filters [kh, kw, c, m] (m the depth multiplier; the geometry's
/// OutChannels is c·m), and its gradients. Each output value is a sum over the kh·kw taps of one channel, so there
/// is no inner product to hand to a GEMM: a direct loop over each output pixel's taps (whose channel vectors are
/// contiguous in NHWC) in any numeric type, float32 and float64 alike.
/// </summary>
public static class DepthwiseConvolution
{
    public static void Forward<T>(in WindowGeometry g, ReadOnlySpan<T> x, ReadOnlySpan<T> filters, Span<T> y) where T : unmanaged, INumber<T> =>
        PixelProducts(g, x, filters, y, Check(g, x.Length, filters.Length, y.Length), filtersRead: true);

    public static void BackpropInput<T>(in WindowGeometry g, ReadOnlySpan<T> dy, ReadOnlySpan<T> filters, Span<T> dx) where T : unmanaged, INumber<T>
    {
        int m = Check(g, dx.Length, filters.Length, dy.Length);
        int c = g.Channels, cm = c * m;
        dx.Clear();
        Span<int> taps = stackalloc int[g.KernelHeight * g.KernelWidth];
        for (int r = 0; r < g.OutputPixels; r++)
        {
            g.TapOffsets(r, taps);
            var row = dy.Slice(r * cm, cm);
            for (int t = 0; t < taps.Length; t++)
            {
                if (taps[t] < 0) continue;
                var pixel = dx.Slice(taps[t], c);
                var f = filters.Slice(t * cm, cm);
                for (int p = 0; p < c; p++)
                {
                    T sum = T.Zero;
                    for (int q = 0; q < m; q++) sum += row[p * m + q] * f[p * m + q];
                    pixel[p] += sum;
                }
            }
        }
    }

    public static void BackpropFilter<T>(in WindowGeometry g, ReadOnlySpan<T> x, ReadOnlySpan<T> dy, Span<T> dfilters) where T : unmanaged, INumber<T> =>
        PixelProducts(g, x, dy, dfilters, Check(g, x.Length, dfilters.Length, dy.Length), filtersRead: false);

    /// <summary>
    /// <c>write[p·m + q] += x[tap pixel, p] · read[p·m + q]</c> over every output row and tap inside the image. The forward
    /// pass reads the tap's filters and writes the row of y; the filter gradient reads the row of dy and writes the tap's filters.
    /// </summary>
    private static void PixelProducts<T>(in WindowGeometry g, ReadOnlySpan<T> x, ReadOnlySpan<T> read, Span<T> write, int m, bool filtersRead)
        where T : unmanaged, INumber<T>
    {
        int c = g.Channels, cm = c * m;
        write.Clear();
        Span<int> taps = stackalloc int[g.KernelHeight * g.KernelWidth];
        for (int r = 0; r < g.OutputPixels; r++)
        {
            g.TapOffsets(r, taps);
            for (int t = 0; t < taps.Length; t++)
            {
                if (taps[t] < 0) continue;
                var pixel = x.Slice(taps[t], c);
                var source = read.Slice((filtersRead ? t : r) * cm, cm);
                var target = write.Slice((filtersRead ? r : t) * cm, cm);
                for (int p = 0; p < c; p++)
                    for (int q = 0; q < m; q++)
                        target[p * m + q] += pixel[p] * source[p * m + q];
            }
        }
    }

    /// <summary>The depth multiplier, after checking every span against the geometry.</summary>
    private static int Check(in WindowGeometry g, int imageLength, int filterLength, int outputLength)
    {
        if (g.Channels < 1 || g.OutChannels % g.Channels != 0)
            throw new ArgumentException($"A depthwise convolution's output channels ({g.OutChannels}) must be a multiple of its input channels ({g.Channels}).");
        g.Check(imageLength, outputLength, g.OutChannels);
        if (filterLength != g.KernelHeight * g.KernelWidth * g.OutChannels)
            throw new ArgumentException($"The filters have {filterLength} values but the geometry needs {g.KernelHeight}×{g.KernelWidth}×{g.Channels}×{g.OutChannels / g.Channels}.");
        return g.OutChannels / g.Channels;
    }
}
