using System.Numerics;

namespace GraphCompiler.Runtime.Kernels;

/// <summary>
/// Max and average pooling over NHWC windows and their gradients. Each output pixel reads its window's
/// channel vectors (contiguous in NHWC) tap by tap; taps in the padding are skipped, so a max never picks
/// padding and an average divides by the taps inside the image (TensorFlow's rules). The max gradient
/// recomputes each window's first maximum from x instead of keeping indices from the forward pass.
/// </summary>
public static class Pooling
{
    public static void Max<T>(in WindowGeometry g, ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, INumber<T>
    {
        g.Check(x.Length, y.Length, g.Channels);
        int c = g.Channels;
        Span<int> taps = stackalloc int[g.KernelHeight * g.KernelWidth];
        for (int row = 0; row < g.OutputPixels; row++)
        {
            var dst = y.Slice(row * c, c);
            bool first = true;
            foreach (int at in Inside(g, row, taps))
            {
                var src = x.Slice(at, c);
                if (first) src.CopyTo(dst);
                else for (int p = 0; p < c; p++) if (src[p] > dst[p]) dst[p] = src[p];
                first = false;
            }
        }
    }

    public static void MaxGrad<T>(in WindowGeometry g, ReadOnlySpan<T> x, ReadOnlySpan<T> dy, Span<T> dx) where T : unmanaged, INumber<T>
    {
        g.Check(x.Length, dy.Length, g.Channels);
        if (dx.Length != x.Length) throw new ArgumentException("dx must have x's length.", nameof(dx));
        int c = g.Channels;
        dx.Clear();
        var best = c <= 256 ? stackalloc int[c] : new int[c];
        Span<int> taps = stackalloc int[g.KernelHeight * g.KernelWidth];
        for (int row = 0; row < g.OutputPixels; row++)
        {
            bool first = true;
            foreach (int at in Inside(g, row, taps))
            {
                for (int p = 0; p < c; p++)
                    if (first || x[at + p] > x[best[p]]) best[p] = at + p;
                first = false;
            }
            for (int p = 0; p < c; p++) dx[best[p]] += dy[row * c + p];
        }
    }

    public static void Average<T>(in WindowGeometry g, ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, INumber<T>
    {
        g.Check(x.Length, y.Length, g.Channels);
        int c = g.Channels;
        Span<int> taps = stackalloc int[g.KernelHeight * g.KernelWidth];
        for (int row = 0; row < g.OutputPixels; row++)
        {
            var dst = y.Slice(row * c, c);
            dst.Clear();
            var inside = Inside(g, row, taps);
            foreach (int at in inside)
            {
                var src = x.Slice(at, c);
                for (int p = 0; p < c; p++) dst[p] += src[p];
            }
            var scale = T.One / T.CreateChecked(inside.Length);
            for (int p = 0; p < c; p++) dst[p] *= scale;
        }
    }

    public static void AverageGrad<T>(in WindowGeometry g, ReadOnlySpan<T> dy, Span<T> dx) where T : unmanaged, INumber<T>
    {
        g.Check(dx.Length, dy.Length, g.Channels);
        int c = g.Channels;
        dx.Clear();
        Span<int> taps = stackalloc int[g.KernelHeight * g.KernelWidth];
        for (int row = 0; row < g.OutputPixels; row++)
        {
            var inside = Inside(g, row, taps);
            var scale = T.One / T.CreateChecked(inside.Length);
            foreach (int at in inside)
                for (int p = 0; p < c; p++) dx[at + p] += dy[row * c + p] * scale;
        }
    }

    /// <summary>The offsets of output pixel <paramref name="row"/>'s taps inside the image, in (ky, kx) order, packed at the front of <paramref name="taps"/>.</summary>
    private static ReadOnlySpan<int> Inside(in WindowGeometry g, int row, Span<int> taps)
    {
        g.TapOffsets(row, taps);
        int n = 0;
        foreach (int at in taps) if (at >= 0) taps[n++] = at;
        return taps.Slice(0, n);
    }
}
