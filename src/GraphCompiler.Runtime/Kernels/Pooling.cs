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
        int c = g.Channels, whole = Vector<T>.IsSupported && Vector.IsHardwareAccelerated ? c - c % Vector<T>.Count : 0;
        Span<int> taps = stackalloc int[g.KernelHeight * g.KernelWidth];
        for (int row = 0; row < g.OutputPixels; row++)
        {
            var inside = Inside(g, row, taps);
            var dst = y.Slice(row * c, c);
            if (inside.IsEmpty) continue;
            x.Slice(inside[0], c).CopyTo(dst);
            foreach (int at in inside.Slice(1))
            {
                var src = x.Slice(at, c);
                int p = 0;
                for (; p < whole; p += Vector<T>.Count)
                    Vector.ConditionalSelect(Vector.GreaterThan(new Vector<T>(src.Slice(p)), new Vector<T>(dst.Slice(p))), new Vector<T>(src.Slice(p)), new Vector<T>(dst.Slice(p))).CopyTo(dst.Slice(p));
                for (; p < c; p++) if (src[p] > dst[p]) dst[p] = src[p];
            }
        }
    }

    /// <summary>
    /// dx[first maximum of each window] += dy. Per vector of channels: the window's maximum, then the taps in
    /// order, each taking dy where it equals the maximum and no earlier tap did (the first maximum, as
    /// <see cref="Max{T}"/> keeps it). <paramref name="positiveOnly"/> applies a relu's gradient on the way (x being
    /// the relu's output): a window whose maximum is not positive passes nothing on.
    /// </summary>
    public static void MaxGrad<T>(in WindowGeometry g, ReadOnlySpan<T> x, ReadOnlySpan<T> dy, Span<T> dx, bool positiveOnly = false) where T : unmanaged, INumber<T>
    {
        g.Check(x.Length, dy.Length, g.Channels);
        if (dx.Length != x.Length) throw new ArgumentException("dx must have x's length.", nameof(dx));
        int c = g.Channels, whole = Vector<T>.IsSupported && Vector.IsHardwareAccelerated ? c - c % Vector<T>.Count : 0;
        dx.Clear();
        Span<int> taps = stackalloc int[g.KernelHeight * g.KernelWidth];
        for (int row = 0; row < g.OutputPixels; row++)
        {
            var inside = Inside(g, row, taps);
            if (inside.IsEmpty) continue;
            int p = 0;
            for (; p < whole; p += Vector<T>.Count)
            {
                var max = new Vector<T>(x.Slice(inside[0] + p));
                foreach (int at in inside.Slice(1))
                {
                    var v = new Vector<T>(x.Slice(at + p));
                    max = Vector.ConditionalSelect(Vector.GreaterThan(v, max), v, max);
                }
                var grad = new Vector<T>(dy.Slice(row * c + p));
                var open = positiveOnly ? Vector.GreaterThan(max, Vector<T>.Zero) : Vector<T>.AllBitsSet;
                foreach (int at in inside)
                {
                    var hit = Vector.Equals(new Vector<T>(x.Slice(at + p)), max) & open;
                    if (hit == Vector<T>.Zero) continue;
                    (new Vector<T>(dx.Slice(at + p)) + (grad & hit)).CopyTo(dx.Slice(at + p));
                    open &= ~hit;
                }
            }
            for (; p < c; p++)
            {
                int best = inside[0] + p;
                foreach (int at in inside.Slice(1)) if (x[at + p] > x[best]) best = at + p;
                if (!positiveOnly || x[best] > T.Zero) dx[best] += dy[row * c + p];
            }
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
