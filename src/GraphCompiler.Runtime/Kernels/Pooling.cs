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
        for (int row = 0; row < g.OutputPixels; row++)
        {
            var dst = y.Slice(row * c, c);
            bool first = true;
            foreach (int at in Taps(g, row))
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
        for (int row = 0; row < g.OutputPixels; row++)
        {
            bool first = true;
            foreach (int at in Taps(g, row))
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
        for (int row = 0; row < g.OutputPixels; row++)
        {
            var dst = y.Slice(row * c, c);
            dst.Clear();
            int count = 0;
            foreach (int at in Taps(g, row))
            {
                var src = x.Slice(at, c);
                for (int p = 0; p < c; p++) dst[p] += src[p];
                count++;
            }
            var scale = T.One / T.CreateChecked(count);
            for (int p = 0; p < c; p++) dst[p] *= scale;
        }
    }

    public static void AverageGrad<T>(in WindowGeometry g, ReadOnlySpan<T> dy, Span<T> dx) where T : unmanaged, INumber<T>
    {
        g.Check(dx.Length, dy.Length, g.Channels);
        int c = g.Channels;
        dx.Clear();
        for (int row = 0; row < g.OutputPixels; row++)
        {
            int count = 0;
            foreach (int _ in Taps(g, row)) count++;
            var scale = T.One / T.CreateChecked(count);
            foreach (int at in Taps(g, row))
                for (int p = 0; p < c; p++) dx[at + p] += dy[row * c + p] * scale;
        }
    }

    /// <summary>The offsets of output pixel <paramref name="row"/>'s taps inside the image, in (ky, kx) order.</summary>
    private static TapEnumerator Taps(in WindowGeometry g, int row) => new(g, row);

    /// <summary>A struct enumerator, so that walking a window allocates nothing.</summary>
    private struct TapEnumerator
    {
        private readonly WindowGeometry _g;
        private readonly int _b, _y0, _x0;
        private int _tap;

        public TapEnumerator(in WindowGeometry g, int row)
        {
            _g = g;
            int pixels = g.OutHeight * g.OutWidth, p = row % pixels;
            _b = row / pixels;
            _y0 = p / g.OutWidth * g.StrideH - g.PadTop;
            _x0 = p % g.OutWidth * g.StrideW - g.PadLeft;
            _tap = -1;
            Current = -1;
        }

        public int Current { get; private set; }

        public readonly TapEnumerator GetEnumerator() => this;

        public bool MoveNext()
        {
            while (++_tap < _g.KernelHeight * _g.KernelWidth)
            {
                int at = _g.Pixel(_b, _y0 + _tap / _g.KernelWidth * _g.DilationH, _x0 + _tap % _g.KernelWidth * _g.DilationW);
                if (at >= 0)
                {
                    Current = at;
                    return true;
                }
            }
            return false;
        }
    }
}
