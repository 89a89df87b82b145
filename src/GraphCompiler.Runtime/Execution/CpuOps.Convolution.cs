using System.Numerics;
using System.Runtime.InteropServices;
using GraphCompiler.Runtime.Kernels;

namespace GraphCompiler.Runtime.Execution;

// Convolution and pooling over NHWC images, as generated code calls them (the compiler's window ops).
public static partial class CpuOps
{
    /// <summary>y = act(conv2d(x, filters) + bias), bias per output channel (empty for none), act relu when <paramref name="relu"/>.</summary>
    public static void Conv2D<T>(WindowGeometry g, ReadOnlySpan<T> x, ReadOnlySpan<T> filters, ReadOnlySpan<T> bias, bool relu, Span<T> y)
        where T : unmanaged, INumber<T> =>
        Convolution.Forward(g, Single(x), Single(filters), Single(bias), relu, MemoryMarshal.Cast<T, float>(y));

    /// <summary>
    /// pooled = pool(act(conv2d(x, filters) + bias)), max or average pooling over the window <paramref name="pool"/>
    /// of the convolution's output; <paramref name="y"/> also receives that output unless it is empty.
    /// </summary>
    public static void Conv2DPooled<T>(WindowGeometry g, WindowGeometry pool, bool max, ReadOnlySpan<T> x, ReadOnlySpan<T> filters, ReadOnlySpan<T> bias, bool relu,
        Span<T> y, Span<T> pooled) where T : unmanaged, INumber<T> =>
        PooledConvolution.Forward(g, pool, max, Single(x), Single(filters), Single(bias), relu, MemoryMarshal.Cast<T, float>(y), MemoryMarshal.Cast<T, float>(pooled));

    /// <summary>dx of a convolution from dy and the filters.</summary>
    public static void Conv2DBackpropInput<T>(WindowGeometry g, ReadOnlySpan<T> dy, ReadOnlySpan<T> filters, Span<T> dx)
        where T : unmanaged, INumber<T> =>
        Convolution.BackpropInput(g, Single(dy), Single(filters), MemoryMarshal.Cast<T, float>(dx));

    /// <summary>dfilters of a convolution from x and dy.</summary>
    public static void Conv2DBackpropFilter<T>(WindowGeometry g, ReadOnlySpan<T> x, ReadOnlySpan<T> dy, Span<T> dfilters)
        where T : unmanaged, INumber<T> =>
        Convolution.BackpropFilter(g, Single(x), Single(dy), MemoryMarshal.Cast<T, float>(dfilters));

    /// <summary>y = depthwise_conv2d(x, filters [kh, kw, c, m]); the geometry's out channels are c·m.</summary>
    public static void DepthwiseConv2D<T>(WindowGeometry g, ReadOnlySpan<T> x, ReadOnlySpan<T> filters, Span<T> y) where T : unmanaged, INumber<T> =>
        DepthwiseConvolution.Forward(g, x, filters, y);

    public static void DepthwiseConv2DBackpropInput<T>(WindowGeometry g, ReadOnlySpan<T> dy, ReadOnlySpan<T> filters, Span<T> dx) where T : unmanaged, INumber<T> =>
        DepthwiseConvolution.BackpropInput(g, dy, filters, dx);

    public static void DepthwiseConv2DBackpropFilter<T>(WindowGeometry g, ReadOnlySpan<T> x, ReadOnlySpan<T> dy, Span<T> dfilters) where T : unmanaged, INumber<T> =>
        DepthwiseConvolution.BackpropFilter(g, x, dy, dfilters);

    public static void MaxPool<T>(WindowGeometry g, ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, INumber<T> => Pooling.Max(g, x, y);

    public static void MaxPoolGrad<T>(WindowGeometry g, ReadOnlySpan<T> x, ReadOnlySpan<T> dy, Span<T> dx) where T : unmanaged, INumber<T> => Pooling.MaxGrad(g, x, dy, dx);

    /// <summary>relu_grad(max_pool_grad(x, dy), x): dy goes to each window's first maximum where that maximum is positive.</summary>
    public static void MaxPoolReluGrad<T>(WindowGeometry g, ReadOnlySpan<T> x, ReadOnlySpan<T> dy, Span<T> dx) where T : unmanaged, INumber<T> =>
        Pooling.MaxGrad(g, x, dy, dx, positiveOnly: true);

    public static void AvgPool<T>(WindowGeometry g, ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, INumber<T> => Pooling.Average(g, x, y);

    public static void AvgPoolGrad<T>(WindowGeometry g, ReadOnlySpan<T> dy, Span<T> dx) where T : unmanaged, INumber<T> => Pooling.AverageGrad(g, dy, dx);

    /// <summary>
    /// Convolutions run on the single-precision implicit GEMM only; a float64 convolution is evaluated by
    /// the compiler's reference interpreter (tests) but not compiled.
    /// </summary>
    private static ReadOnlySpan<float> Single<T>(ReadOnlySpan<T> s) where T : unmanaged =>
        typeof(T) == typeof(float) ? MemoryMarshal.Cast<T, float>(s) : throw new NotSupportedException($"convolution in {typeof(T).Name} is not compiled; use float32");
}
