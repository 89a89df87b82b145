using System.Numerics;
using System.Runtime.InteropServices;

namespace GraphCompiler.Runtime.Kernels;

/// <summary>
/// The convolution and its filter gradient as direct loops over each output pixel's taps, for patches of
/// few values (a 3×3 window over one to three channels). There the implicit GEMM's inner dimension is
/// tiny, so packing the patches and the filters costs more than the multiply-adds themselves; here each tap
/// value is broadcast against a vector of output channels that stays in a register across the taps, and
/// the bias and the relu are applied as each pixel's vector is stored.
/// </summary>
internal static class DirectConvolution
{
    /// <summary>The largest patch (kh·kw·c) the direct loops take; above it the GEMM's blocking pays for its packing.</summary>
    private const int MaxPatch = 32;

    /// <summary>Multiply-adds of a forward call below which it stays on the calling thread (waking the workers costs more).</summary>
    private const long ParallelWork = 1 << 20;

    /// <summary>Multiply-adds above which the filter gradient goes back to the (parallel) GEMM: the direct sum is one thread.</summary>
    private const long MaxFilterGradientWork = 1 << 23;

    public static bool TakesForward(in WindowGeometry g) => g.PatchSize <= MaxPatch;

    /// <summary>True when <see cref="Forward"/> splits the call across the kernel workers.</summary>
    public static bool RunsInParallel(in WindowGeometry g) => (long)g.OutputPixels * g.PatchSize * g.OutChannels >= ParallelWork && KernelParallel.MaxDegree > 1;

    public static bool TakesFilterGradient(in WindowGeometry g) =>
        g.PatchSize <= MaxPatch && (long)g.OutputPixels * g.PatchSize * g.OutChannels <= MaxFilterGradientWork;

    /// <summary>y = act(conv(x, f) + bias) for every output pixel, in parallel over blocks of pixels when the call is large.</summary>
    public static unsafe void Forward(in WindowGeometry g, ReadOnlySpan<float> x, ReadOnlySpan<float> filters, ReadOnlySpan<float> bias, bool relu, Span<float> y)
    {
        int rows = g.OutputPixels;
        long work = (long)rows * g.PatchSize * g.OutChannels;
        if (!RunsInParallel(g))
        {
            Rows(g, x, filters, bias, relu, 0, rows, y);
            return;
        }
        fixed (float* px = x)
        fixed (float* pf = filters)
        fixed (float* pb = bias)
        fixed (float* py = y)
        {
            int parts = (int)Math.Min(KernelParallel.MaxDegree * 4L, Math.Max(1, work / (ParallelWork / 4)));
            var job = new ForwardJob
            {
                Geometry = g, X = px, XLength = x.Length, F = pf, FLength = filters.Length, Bias = pb, BiasLength = bias.Length,
                Relu = relu, Y = py, YLength = y.Length, Chunk = (rows + parts - 1) / parts,
            };
            KernelParallel.For((rows + job.Chunk - 1) / job.Chunk, &ForwardPart, &job);
        }
    }

    private unsafe struct ForwardJob
    {
        public WindowGeometry Geometry;
        public float* X, F, Bias, Y;
        public int XLength, FLength, BiasLength, YLength, Chunk;
        public bool Relu;
    }

    private static unsafe void ForwardPart(void* state, int part)
    {
        ref var job = ref *(ForwardJob*)state;
        int first = part * job.Chunk, count = Math.Min(job.Chunk, job.Geometry.OutputPixels - first);
        Rows(job.Geometry, new ReadOnlySpan<float>(job.X, job.XLength), new ReadOnlySpan<float>(job.F, job.FLength),
            new ReadOnlySpan<float>(job.Bias, job.BiasLength), job.Relu, first, count, new Span<float>(job.Y, job.YLength));
    }

    /// <summary>
    /// Output pixels [r0, r0 + count), four at a time: their patches are gathered into a few hundred bytes of
    /// stack (zeros in the padding, so the multiply-adds need no branch), and four independent accumulator
    /// chains per vector of output channels hide the multiply-add latency.
    /// </summary>
    private static void Rows(in WindowGeometry g, ReadOnlySpan<float> x, ReadOnlySpan<float> filters, ReadOnlySpan<float> bias, bool relu, int r0, int count, Span<float> y)
    {
        int o = g.OutChannels, k = g.PatchSize;
        Span<float> patches = stackalloc float[Block * MaxPatch];
        Span<int> offsets = stackalloc int[k];
        var cursor = new PixelCursor(g, r0, offsets);
        bool vectors = o % Vector<float>.Count == 0;
        for (int row = r0; row < r0 + count; row += Block)
        {
            int n = Math.Min(Block, r0 + count - row);
            for (int i = 0; i < n; i++, cursor.Next(g)) cursor.Gather(g, x, offsets, patches.Slice(i * k, k));
            if (n == Block && vectors) FourPixels(k, o, patches, filters, bias, relu, y.Slice(row * o, Block * o));
            else for (int i = 0; i < n; i++) Pixel(k, o, patches.Slice(i * k, k), filters, bias, relu, y.Slice((row + i) * o, o));
        }
    }

    private const int Block = 4;

    private static void FourPixels(int k, int o, ReadOnlySpan<float> patches, ReadOnlySpan<float> filters, ReadOnlySpan<float> bias, bool relu, Span<float> y)
    {
        int width = Vector<float>.Count, stride = o / width;
        var fv = MemoryMarshal.Cast<float, Vector<float>>(filters);
        var yv = MemoryMarshal.Cast<float, Vector<float>>(y);
        ReadOnlySpan<float> p0 = patches.Slice(0, k), p1 = patches.Slice(k, k), p2 = patches.Slice(2 * k, k), p3 = patches.Slice(3 * k, k);
        for (int j = 0; j < stride; j++)
        {
            var a0 = bias.IsEmpty ? Vector<float>.Zero : new Vector<float>(bias.Slice(j * width, width));
            Vector<float> a1 = a0, a2 = a0, a3 = a0;
            for (int i = 0, fi = j; i < k; i++, fi += stride)
            {
                var f = fv[fi];
                a0 = Vector.FusedMultiplyAdd(new Vector<float>(p0[i]), f, a0);
                a1 = Vector.FusedMultiplyAdd(new Vector<float>(p1[i]), f, a1);
                a2 = Vector.FusedMultiplyAdd(new Vector<float>(p2[i]), f, a2);
                a3 = Vector.FusedMultiplyAdd(new Vector<float>(p3[i]), f, a3);
            }
            if (relu)
            {
                a0 = Vector.Max(a0, Vector<float>.Zero);
                a1 = Vector.Max(a1, Vector<float>.Zero);
                a2 = Vector.Max(a2, Vector<float>.Zero);
                a3 = Vector.Max(a3, Vector<float>.Zero);
            }
            yv[j] = a0;
            yv[stride + j] = a1;
            yv[2 * stride + j] = a2;
            yv[3 * stride + j] = a3;
        }
    }

    /// <summary>One output pixel's channel vector from its gathered patch: the bias plus patch · filters, then the relu.</summary>
    private static void Pixel(int k, int o, ReadOnlySpan<float> patch, ReadOnlySpan<float> filters, ReadOnlySpan<float> bias, bool relu, Span<float> dst)
    {
        for (int j = 0; j < o; j++)
        {
            float acc = bias.IsEmpty ? 0f : bias[j];
            for (int i = 0; i < k; i++) acc = MathF.FusedMultiplyAdd(patch[i], filters[i * o + j], acc);
            dst[j] = relu ? MathF.Max(acc, 0f) : acc;
        }
    }

    /// <summary>
    /// df[i, :] = Σ over pixels of patch[pixel, i] · dy[pixel, :], on the calling thread, four pixels at a time so
    /// that each filter vector is loaded and stored once per four multiply-adds.
    /// </summary>
    public static void FilterGradient(in WindowGeometry g, ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dfilters)
    {
        int k = g.PatchSize, o = g.OutChannels, width = Vector<float>.Count, stride = o / width, rows = g.OutputPixels;
        dfilters.Clear();
        Span<float> patches = stackalloc float[Block * MaxPatch];
        Span<int> offsets = stackalloc int[k];
        var cursor = new PixelCursor(g, 0, offsets);
        var dfv = MemoryMarshal.Cast<float, Vector<float>>(dfilters);
        var dyv = MemoryMarshal.Cast<float, Vector<float>>(dy);
        bool vectors = o % width == 0;
        for (int row = 0; row < rows; row += Block)
        {
            int n = Math.Min(Block, rows - row);
            for (int i = 0; i < n; i++, cursor.Next(g)) cursor.Gather(g, x, offsets, patches.Slice(i * k, k));
            if (n == Block && vectors)
            {
                ReadOnlySpan<float> p0 = patches.Slice(0, k), p1 = patches.Slice(k, k), p2 = patches.Slice(2 * k, k), p3 = patches.Slice(3 * k, k);
                for (int q = 0; q < stride; q++)
                {
                    Vector<float> d0 = dyv[row * stride + q], d1 = dyv[(row + 1) * stride + q], d2 = dyv[(row + 2) * stride + q], d3 = dyv[(row + 3) * stride + q];
                    for (int i = 0, fi = q; i < k; i++, fi += stride)
                    {
                        var sum = Vector.FusedMultiplyAdd(new Vector<float>(p0[i]), d0, new Vector<float>(p1[i]) * d1);
                        sum = Vector.FusedMultiplyAdd(new Vector<float>(p2[i]), d2, sum);
                        sum = Vector.FusedMultiplyAdd(new Vector<float>(p3[i]), d3, sum);
                        dfv[fi] += sum;
                    }
                }
                continue;
            }
            for (int r = 0; r < n; r++)
                for (int i = 0; i < k; i++)
                {
                    float v = patches[r * k + i];
                    for (int q = 0; q < o; q++) dfilters[i * o + q] = MathF.FusedMultiplyAdd(v, dy[(row + r) * o + q], dfilters[i * o + q]);
                }
        }
    }

    /// <summary>
    /// Walks output pixels in order, (batch, oy, ox), gathering each one's patch. It never divides per pixel and
    /// reads a window that lies inside the image through precomputed offsets: both would otherwise cost more
    /// than a 3×3 window's multiply-adds.
    /// </summary>
    private struct PixelCursor
    {
        private int _b, _oy, _ox;

        /// <summary>Starts at output pixel <paramref name="row"/>; fills <paramref name="offsets"/> with each patch value's offset from the window's corner.</summary>
        public PixelCursor(in WindowGeometry g, int row, Span<int> offsets)
        {
            int pixels = g.OutHeight * g.OutWidth, p = row % pixels;
            (_b, _oy, _ox) = (row / pixels, p / g.OutWidth, p % g.OutWidth);
            for (int ky = 0, i = 0; ky < g.KernelHeight; ky++)
                for (int kx = 0; kx < g.KernelWidth; kx++)
                    for (int c = 0; c < g.Channels; c++, i++)
                        offsets[i] = (ky * g.DilationH * g.Width + kx * g.DilationW) * g.Channels + c;
        }

        public readonly void Gather(in WindowGeometry g, ReadOnlySpan<float> x, ReadOnlySpan<int> offsets, Span<float> patch)
        {
            int y0 = _oy * g.StrideH - g.PadTop, x0 = _ox * g.StrideW - g.PadLeft;
            if (y0 >= 0 && x0 >= 0 && y0 + (g.KernelHeight - 1) * g.DilationH < g.Height && x0 + (g.KernelWidth - 1) * g.DilationW < g.Width)
            {
                var window = x.Slice(((_b * g.Height + y0) * g.Width + x0) * g.Channels);
                for (int i = 0; i < patch.Length; i++) patch[i] = window[offsets[i]];
                return;
            }
            int c = g.Channels;
            for (int ky = 0, t = 0; ky < g.KernelHeight; ky++)
                for (int kx = 0; kx < g.KernelWidth; kx++, t++)
                {
                    int at = g.Pixel(_b, y0 + ky * g.DilationH, x0 + kx * g.DilationW);
                    if (at < 0) patch.Slice(t * c, c).Clear();
                    else x.Slice(at, c).CopyTo(patch.Slice(t * c, c));
                }
        }

        public void Next(in WindowGeometry g)
        {
            if (++_ox < g.OutWidth) return;
            _ox = 0;
            if (++_oy < g.OutHeight) return;
            _oy = 0;
            _b++;
        }
    }
}
