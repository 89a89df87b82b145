using System.Buffers;

namespace GraphCompiler.Runtime.Kernels;

/// <summary>
/// A convolution (with its bias and relu) whose output is pooled as it is stored: for the direct convolution,
/// one image at a time, so each image's convolution output is pooled while it is still in L1 and, when the
/// caller does not keep it (an inference entry), never reaches memory at all. The train step keeps it (its
/// relu and pooling gradients read it), and then it is written as well. Convolutions large enough for the
/// parallel GEMM or the parallel direct loops run whole and are pooled after, as unfused.
/// </summary>
public static class PooledConvolution
{
    /// <summary>
    /// pooled = pool(act(conv(x, filters) + bias)); <paramref name="y"/> receives the convolution's output
    /// unless it is empty. <paramref name="pool"/> is the pooling's window over that output (its image is the
    /// convolution's output, its channels the convolution's out channels); <paramref name="max"/> chooses max
    /// over average pooling.
    /// </summary>
    public static void Forward(in WindowGeometry g, in WindowGeometry pool, bool max, ReadOnlySpan<float> x, ReadOnlySpan<float> filters,
        ReadOnlySpan<float> bias, bool relu, Span<float> y, Span<float> pooled)
    {
        if (pool.Batch != g.Batch || pool.Height != g.OutHeight || pool.Width != g.OutWidth || pool.Channels != g.OutChannels || pool.OutChannels != g.OutChannels)
            throw new ArgumentException($"The pooling window {pool} does not read the convolution's output {g.Batch}×{g.OutHeight}×{g.OutWidth}×{g.OutChannels}.", nameof(pool));
        int image = g.OutHeight * g.OutWidth * g.OutChannels;
        if (!y.IsEmpty && y.Length != g.OutputPixels * g.OutChannels)
            throw new ArgumentException($"The convolution's output has {y.Length} values but the geometry needs {g.OutputPixels * g.OutChannels}.", nameof(y));
        if (!DirectConvolution.TakesForward(g) || DirectConvolution.RunsInParallel(g))
        {
            var whole = y.IsEmpty ? ArrayPool<float>.Shared.Rent(g.OutputPixels * g.OutChannels) : null;
            var output = whole is null ? y : whole.AsSpan(0, g.OutputPixels * g.OutChannels);
            Convolution.Forward(g, x, filters, bias, relu, output);
            Pool(pool, max, output, pooled);
            if (whole is not null) ArrayPool<float>.Shared.Return(whole);
            return;
        }
        g.Check(x.Length, g.OutputPixels * g.OutChannels, g.OutChannels);
        pool.Check(g.OutputPixels * g.OutChannels, pooled.Length, pool.Channels);
        var one = g with { Batch = 1 };
        var onePool = pool with { Batch = 1 };
        int input = g.Height * g.Width * g.Channels, pooledImage = pool.OutHeight * pool.OutWidth * pool.Channels;
        var scratch = y.IsEmpty ? ArrayPool<float>.Shared.Rent(image) : null;
        for (int b = 0; b < g.Batch; b++)
        {
            var output = scratch is null ? y.Slice(b * image, image) : scratch.AsSpan(0, image);
            DirectConvolution.Forward(one, x.Slice(b * input, input), filters, bias, relu, output);
            Pool(onePool, max, output, pooled.Slice(b * pooledImage, pooledImage));
        }
        if (scratch is not null) ArrayPool<float>.Shared.Return(scratch);
    }

    private static void Pool(in WindowGeometry pool, bool max, ReadOnlySpan<float> x, Span<float> y)
    {
        if (max) Pooling.Max(pool, x, y);
        else Pooling.Average(pool, x, y);
    }
}
