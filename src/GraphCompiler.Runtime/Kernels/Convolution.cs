using System.Buffers;

namespace GraphCompiler.Runtime.Kernels;

/// <summary>
/// Single-precision 2-D convolution over NHWC images with filters [kh, kw, c, o], as an implicit GEMM:
/// the output [n·oh·ow, o] is patches [n·oh·ow, kh·kw·c] · filters [kh·kw·c, o]. Patches are gathered a
/// slab of rows at a time into a scratch buffer that stays in cache (never the whole im2col matrix), and
/// each slab is one call into the packed GEMM, which stores it with the bias and relu epilogue. A 1×1,
/// stride-1 convolution without padding needs no gather: the image is the patch matrix. Patches of few
/// values (a 3×3 window over one channel) go to <see cref="DirectConvolution"/> instead.
/// Gradients: dx is dy · filtersᵀ per slab, scattered back over the taps (col2im); dfilters is the sum of
/// patchesᵀ · dy over slabs, accumulated by the GEMM's beta.
/// </summary>
public static class Convolution
{
    /// <summary>The scratch bound of one slab of patches, in floats (2 MiB: a slab and its packing stay in L2/L3).</summary>
    private const int SlabFloats = 1 << 19;

    public static void Forward(in WindowGeometry g, ReadOnlySpan<float> x, ReadOnlySpan<float> filters, ReadOnlySpan<float> bias, bool relu, Span<float> y)
    {
        g.Check(x.Length, y.Length, g.OutChannels);
        CheckFilters(g, filters.Length);
        int k = g.PatchSize, o = g.OutChannels, rows = g.OutputPixels;
        if (DirectConvolution.TakesForward(g))
        {
            DirectConvolution.Forward(g, x, filters, bias, relu, y);
            return;
        }
        var act = relu ? GemmActivation.Relu : GemmActivation.None;
        if (g.IsPointwise)
        {
            Gemm.SgemmBiasActivation(false, false, rows, o, k, x, k, filters, o, bias, act, y, o);
            return;
        }
        int slab = SlabRows(k, rows);
        using var scratch = new Scratch(slab * k);
        for (int r0 = 0; r0 < rows; r0 += slab)
        {
            int count = Math.Min(slab, rows - r0);
            var patches = scratch.Take(count * k);
            Gather(g, x, r0, count, patches);
            Gemm.SgemmBiasActivation(false, false, count, o, k, patches, k, filters, o, bias, act, y.Slice(r0 * o, count * o), o);
        }
    }

    public static void BackpropInput(in WindowGeometry g, ReadOnlySpan<float> dy, ReadOnlySpan<float> filters, Span<float> dx)
    {
        g.Check(dx.Length, dy.Length, g.OutChannels);
        CheckFilters(g, filters.Length);
        int k = g.PatchSize, o = g.OutChannels, rows = g.OutputPixels;
        if (g.IsPointwise)
        {
            Gemm.Sgemm(false, true, rows, k, o, 1f, dy, o, filters, o, 0f, dx, k);
            return;
        }
        dx.Clear();
        int slab = SlabRows(k, rows);
        using var scratch = new Scratch(slab * k);
        for (int r0 = 0; r0 < rows; r0 += slab)
        {
            int count = Math.Min(slab, rows - r0);
            var patches = scratch.Take(count * k);
            Gemm.Sgemm(false, true, count, k, o, 1f, dy.Slice(r0 * o, count * o), o, filters, o, 0f, patches, k);
            Scatter(g, patches, r0, count, dx);
        }
    }

    public static void BackpropFilter(in WindowGeometry g, ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dfilters)
    {
        g.Check(x.Length, dy.Length, g.OutChannels);
        CheckFilters(g, dfilters.Length);
        if (DirectConvolution.TakesFilterGradient(g))
        {
            DirectConvolution.FilterGradient(g, x, dy, dfilters);
            return;
        }
        int k = g.PatchSize, o = g.OutChannels, rows = g.OutputPixels;
        if (g.IsPointwise || rows == 0)
        {
            Gemm.Sgemm(true, false, k, o, rows, 1f, x, k, dy, o, 0f, dfilters, o);
            return;
        }
        int slab = SlabRows(k, rows);
        using var scratch = new Scratch(slab * k);
        for (int r0 = 0; r0 < rows; r0 += slab)
        {
            int count = Math.Min(slab, rows - r0);
            var patches = scratch.Take(count * k);
            Gather(g, x, r0, count, patches);
            Gemm.Sgemm(true, false, k, o, count, 1f, patches, k, dy.Slice(r0 * o, count * o), o, r0 == 0 ? 0f : 1f, dfilters, o);
        }
    }

    /// <summary>Pooled scratch for the slabs of patches, returned when the routine ends.</summary>
    private readonly struct Scratch(int length) : IDisposable
    {
        private readonly float[] _buffer = ArrayPool<float>.Shared.Rent(length);

        public Span<float> Take(int length) => _buffer.AsSpan(0, length);

        public void Dispose() => ArrayPool<float>.Shared.Return(_buffer);
    }

    private static int SlabRows(int k, int rows) => Math.Max(1, Math.Min(rows, SlabFloats / k));

    private static void CheckFilters(in WindowGeometry g, int length)
    {
        if (length != g.PatchSize * g.OutChannels)
            throw new ArgumentException($"The filters have {length} values but the geometry needs {g.KernelHeight}×{g.KernelWidth}×{g.Channels}×{g.OutChannels}.");
    }

    /// <summary>
    /// Below this many patch values a slab is gathered on the calling thread: the gather is pure copying, and
    /// waking the workers costs more than copying 128 KiB.
    /// </summary>
    private const int ParallelGatherFloats = 1 << 15;

    /// <summary>
    /// Patch rows [r0, r0 + count) of the implicit im2col matrix: for each output pixel, its taps' channel vectors
    /// in (ky, kx) order, zeros in the padding. Rows are independent, so a large slab is split across the kernel
    /// workers in blocks of rows (the GEMM that follows is parallel too, and the gather would otherwise run on one core).
    /// </summary>
    private static unsafe void Gather(in WindowGeometry g, ReadOnlySpan<float> x, int r0, int count, Span<float> patches)
    {
        int k = g.PatchSize;
        if ((long)count * k < ParallelGatherFloats || KernelParallel.MaxDegree == 1)
        {
            GatherRows(g, x, r0, count, patches);
            return;
        }
        fixed (float* px = x)
        fixed (float* pp = patches)
        {
            int parts = (int)Math.Min(KernelParallel.MaxDegree * 4L, (long)count * k / (ParallelGatherFloats / 2));
            var job = new GatherJob { Geometry = g, X = px, XLength = x.Length, Patches = pp, R0 = r0, Count = count, Chunk = (count + parts - 1) / parts };
            KernelParallel.For((count + job.Chunk - 1) / job.Chunk, &GatherPart, &job);
        }
    }

    private unsafe struct GatherJob
    {
        public WindowGeometry Geometry;
        public float* X;
        public int XLength;
        public float* Patches;
        public int R0, Count, Chunk;
    }

    private static unsafe void GatherPart(void* state, int part)
    {
        ref var job = ref *(GatherJob*)state;
        int first = part * job.Chunk, rows = Math.Min(job.Chunk, job.Count - first), k = job.Geometry.PatchSize;
        GatherRows(job.Geometry, new ReadOnlySpan<float>(job.X, job.XLength), job.R0 + first, rows, new Span<float>(job.Patches + (long)first * k, rows * k));
    }

    private static void GatherRows(in WindowGeometry g, ReadOnlySpan<float> x, int r0, int count, Span<float> patches)
    {
        int c = g.Channels, k = g.PatchSize;
        Span<int> taps = stackalloc int[g.KernelHeight * g.KernelWidth];
        for (int r = 0; r < count; r++)
        {
            g.TapOffsets(r0 + r, taps);
            for (int t = 0; t < taps.Length; t++)
            {
                var dst = patches.Slice(r * k + t * c, c);
                if (taps[t] < 0) dst.Clear();
                else x.Slice(taps[t], c).CopyTo(dst);
            }
        }
    }

    /// <summary>The transpose of <see cref="Gather"/>: adds each patch row's tap vectors back into dx.</summary>
    private static void Scatter(in WindowGeometry g, ReadOnlySpan<float> patches, int r0, int count, Span<float> dx)
    {
        int c = g.Channels, k = g.PatchSize;
        Span<int> taps = stackalloc int[g.KernelHeight * g.KernelWidth];
        for (int r = 0; r < count; r++)
        {
            g.TapOffsets(r0 + r, taps);
            for (int t = 0; t < taps.Length; t++)
                if (taps[t] >= 0) System.Numerics.Tensors.TensorPrimitives.Add(dx.Slice(taps[t], c), patches.Slice(r * k + t * c, c), dx.Slice(taps[t], c));
        }
    }
}
