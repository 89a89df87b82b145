using GraphCompiler.Runtime.Kernels;

namespace GraphCompiler.Runtime.Devices;

/// <summary>
/// Window indexing inside device kernels, both ways: from an output pixel's tap to the input pixel it
/// reads (im2col, pooling), and from an input pixel back to the output pixels whose windows read it
/// (col2im and the pooling gradients, which gather per input element instead of scattering with atomics,
/// so they are deterministic and need no atomic float adds).
/// </summary>
internal static class WindowTaps
{
    /// <summary>The output row of an input row read at tap <paramref name="k"/> (<paramref name="stride"/>, <paramref name="dilation"/>, <paramref name="pad"/> along one axis); −1 when no output reads it there.</summary>
    public static int OutputOf(int input, int k, int stride, int dilation, int pad, int outputs)
    {
        int t = input + pad - k * dilation;
        if (t < 0 || t % stride != 0) return -1;
        int o = t / stride;
        return o < outputs ? o : -1;
    }

    /// <summary>
    /// The output pixel (over the batch) whose tap (ky, kx) reads input pixel (b, iy, ix), −1 when none does: the
    /// inverse of <see cref="Tap"/>, which the window gradients use to gather instead of scattering with atomics.
    /// </summary>
    public static int OutputRowOf(WindowGeometry g, int b, int iy, int ix, int ky, int kx)
    {
        int oy = OutputOf(iy, ky, g.StrideH, g.DilationH, g.PadTop, g.OutHeight);
        if (oy < 0) return -1;
        int ox = OutputOf(ix, kx, g.StrideW, g.DilationW, g.PadLeft, g.OutWidth);
        return ox < 0 ? -1 : (b * g.OutHeight + oy) * g.OutWidth + ox;
    }

    /// <summary>The image offset of tap (ky, kx) of output pixel <paramref name="row"/> (over the batch), −1 in the padding.</summary>
    public static int Tap(WindowGeometry g, int row, int ky, int kx)
    {
        int pixels = g.OutHeight * g.OutWidth, b = row / pixels, p = row % pixels;
        return g.Pixel(b, p / g.OutWidth * g.StrideH - g.PadTop + ky * g.DilationH, p % g.OutWidth * g.StrideW - g.PadLeft + kx * g.DilationW);
    }

    /// <summary>How many of output pixel <paramref name="row"/>'s taps lie inside the image (an average pool's divisor).</summary>
    public static int Inside(WindowGeometry g, int row)
    {
        int rows = 0, columns = 0, p = row % (g.OutHeight * g.OutWidth);
        int y0 = p / g.OutWidth * g.StrideH - g.PadTop, x0 = p % g.OutWidth * g.StrideW - g.PadLeft;
        for (int ky = 0; ky < g.KernelHeight; ky++)
        {
            int iy = y0 + ky * g.DilationH;
            if (iy >= 0 && iy < g.Height) rows++;
        }
        for (int kx = 0; kx < g.KernelWidth; kx++)
        {
            int ix = x0 + kx * g.DilationW;
            if (ix >= 0 && ix < g.Width) columns++;
        }
        return rows * columns;
    }

    /// <summary>The image offset of the first largest tap of output pixel <paramref name="row"/> in channel <paramref name="c"/> (taps in (ky, kx) order, as the CPU's max pool).</summary>
    public static int ArgMax(WindowGeometry g, ILGPU.ArrayView<float> x, int row, int c)
    {
        int best = -1;
        float value = 0f;
        for (int ky = 0; ky < g.KernelHeight; ky++)
            for (int kx = 0; kx < g.KernelWidth; kx++)
            {
                int at = Tap(g, row, ky, kx);
                if (at < 0) continue;
                float v = x[at + c];
                if (best < 0 || v > value)
                {
                    best = at + c;
                    value = v;
                }
            }
        return best;
    }
}
