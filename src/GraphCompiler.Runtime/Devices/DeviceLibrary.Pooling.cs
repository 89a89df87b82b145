using GraphCompiler.Runtime.Kernels;
using ILGPU;
using ILGPU.Runtime;

namespace GraphCompiler.Runtime.Devices;

/// <summary>
/// Max and average pooling and depthwise convolution over NHWC images on the device, with their gradients,
/// by TensorFlow's rules as the CPU routines (<see cref="Pooling"/>, <see cref="DepthwiseConvolution"/>):
/// padding taps are skipped, a max gradient goes to each window's first maximum, an average divides by the
/// taps inside the image. One thread per value written: forward passes loop over their window's taps, the
/// input gradients over the output pixels whose windows read their input value (no atomics, so results do not
/// depend on thread order), the depthwise filter gradient over the output pixels.
/// </summary>
public sealed partial class DeviceLibrary
{
    public void MaxPool(WindowGeometry g, ArrayView<float> x, ArrayView<float> y) => Pool(g, x, y, MaxPoolKernel);

    public void AvgPool(WindowGeometry g, ArrayView<float> x, ArrayView<float> y) => Pool(g, x, y, AvgPoolKernel);

    /// <summary>dx of a max pool: each dy value added to its window's first largest x.</summary>
    public void MaxPoolGrad(WindowGeometry g, ArrayView<float> x, ArrayView<float> dy, ArrayView<float> dx)
    {
        g.Check(checked((int)x.Length), checked((int)dy.Length), g.Channels);
        if (dx.Length != x.Length) throw new ArgumentException("dx must have x's length.", nameof(dx));
        if (x.Length != 0) _device.Kernels.Auto<ArrayView<float>, ArrayView<float>, ArrayView<float>, WindowGeometry>(MaxPoolGradKernel)((int)x.Length, x, dy, dx, g);
    }

    /// <summary>dx of an average pool: each dy value spread evenly over its window's taps inside the image.</summary>
    public void AvgPoolGrad(WindowGeometry g, ArrayView<float> dy, ArrayView<float> dx)
    {
        g.Check(checked((int)dx.Length), checked((int)dy.Length), g.Channels);
        if (dx.Length != 0) _device.Kernels.Auto<ArrayView<float>, ArrayView<float>, WindowGeometry>(AvgPoolGradKernel)((int)dx.Length, dy, dx, g);
    }

    /// <summary>y = depthwise_conv2d(x, filters [kh, kw, c, m]); the geometry's OutChannels is c·m.</summary>
    public void DepthwiseConv2D(WindowGeometry g, ArrayView<float> x, ArrayView<float> filters, ArrayView<float> y)
    {
        CheckDepthwise(g, x, filters, y);
        if (y.Length != 0) _device.Kernels.Auto<ArrayView<float>, ArrayView<float>, ArrayView<float>, WindowGeometry>(DepthwiseKernel)((int)y.Length, x, filters, y, g);
    }

    public void DepthwiseConv2DBackpropInput(WindowGeometry g, ArrayView<float> dy, ArrayView<float> filters, ArrayView<float> dx)
    {
        CheckDepthwise(g, dx, filters, dy);
        if (dx.Length != 0) _device.Kernels.Auto<ArrayView<float>, ArrayView<float>, ArrayView<float>, WindowGeometry>(DepthwiseInputGradKernel)((int)dx.Length, dy, filters, dx, g);
    }

    public void DepthwiseConv2DBackpropFilter(WindowGeometry g, ArrayView<float> x, ArrayView<float> dy, ArrayView<float> dfilters)
    {
        CheckDepthwise(g, x, dfilters, dy);
        _device.Kernels.Auto<ArrayView<float>, ArrayView<float>, ArrayView<float>, WindowGeometry>(DepthwiseFilterGradKernel)((int)dfilters.Length, x, dy, dfilters, g);
    }

    private void Pool(WindowGeometry g, ArrayView<float> x, ArrayView<float> y, Action<Index1D, ArrayView<float>, ArrayView<float>, WindowGeometry> kernel)
    {
        g.Check(checked((int)x.Length), checked((int)y.Length), g.Channels);
        if (y.Length != 0) _device.Kernels.Auto(kernel)((int)y.Length, x, y, g);
    }

    private static void CheckDepthwise(WindowGeometry g, ArrayView<float> x, ArrayView<float> filters, ArrayView<float> y)
    {
        if (g.Channels < 1 || g.OutChannels % g.Channels != 0)
            throw new ArgumentException($"A depthwise convolution's output channels ({g.OutChannels}) must be a multiple of its input channels ({g.Channels}).");
        g.Check(checked((int)x.Length), checked((int)y.Length), g.OutChannels);
        if (filters.Length != (long)g.KernelHeight * g.KernelWidth * g.OutChannels)
            throw new ArgumentException($"The filters have {filters.Length} values but the geometry needs {g.KernelHeight}×{g.KernelWidth}×{g.Channels}×{g.OutChannels / g.Channels}.");
    }

    internal static void MaxPoolKernel(Index1D i, ArrayView<float> x, ArrayView<float> y, WindowGeometry g)
    {
        int best = WindowTaps.ArgMax(g, x, i / g.Channels, i % g.Channels);
        y[i] = best < 0 ? 0f : x[best];
    }

    internal static void AvgPoolKernel(Index1D i, ArrayView<float> x, ArrayView<float> y, WindowGeometry g)
    {
        int row = i / g.Channels, c = i % g.Channels;
        float sum = 0f;
        for (int ky = 0; ky < g.KernelHeight; ky++)
            for (int kx = 0; kx < g.KernelWidth; kx++)
            {
                int at = WindowTaps.Tap(g, row, ky, kx);
                if (at >= 0) sum += x[at + c];
            }
        y[i] = sum * (1f / WindowTaps.Inside(g, row));
    }

    internal static void MaxPoolGradKernel(Index1D i, ArrayView<float> x, ArrayView<float> dy, ArrayView<float> dx, WindowGeometry g)
    {
        int c = i % g.Channels, pixel = i / g.Channels, ix = pixel % g.Width, iy = pixel / g.Width % g.Height, b = pixel / (g.Width * g.Height);
        float sum = 0f;
        for (int ky = 0; ky < g.KernelHeight; ky++)
        {
            for (int kx = 0; kx < g.KernelWidth; kx++)
            {
                int row = WindowTaps.OutputRowOf(g, b, iy, ix, ky, kx);
                if (row < 0) continue;
                if (WindowTaps.ArgMax(g, x, row, c) == i) sum += dy[row * g.Channels + c];
            }
        }
        dx[i] = sum;
    }

    internal static void AvgPoolGradKernel(Index1D i, ArrayView<float> dy, ArrayView<float> dx, WindowGeometry g)
    {
        int c = i % g.Channels, pixel = i / g.Channels, ix = pixel % g.Width, iy = pixel / g.Width % g.Height, b = pixel / (g.Width * g.Height);
        float sum = 0f;
        for (int ky = 0; ky < g.KernelHeight; ky++)
        {
            for (int kx = 0; kx < g.KernelWidth; kx++)
            {
                int row = WindowTaps.OutputRowOf(g, b, iy, ix, ky, kx);
                if (row < 0) continue;
                sum += dy[row * g.Channels + c] * (1f / WindowTaps.Inside(g, row));
            }
        }
        dx[i] = sum;
    }

    internal static void DepthwiseKernel(Index1D i, ArrayView<float> x, ArrayView<float> filters, ArrayView<float> y, WindowGeometry g)
    {
        int cm = g.OutChannels, m = cm / g.Channels, row = i / cm, j = i % cm, p = j / m;
        float sum = 0f;
        for (int ky = 0; ky < g.KernelHeight; ky++)
            for (int kx = 0; kx < g.KernelWidth; kx++)
            {
                int at = WindowTaps.Tap(g, row, ky, kx);
                if (at >= 0) sum += x[at + p] * filters[(ky * g.KernelWidth + kx) * cm + j];
            }
        y[i] = sum;
    }

    internal static void DepthwiseInputGradKernel(Index1D i, ArrayView<float> dy, ArrayView<float> filters, ArrayView<float> dx, WindowGeometry g)
    {
        int p = i % g.Channels, pixel = i / g.Channels, ix = pixel % g.Width, iy = pixel / g.Width % g.Height, b = pixel / (g.Width * g.Height);
        int cm = g.OutChannels, m = cm / g.Channels;
        float sum = 0f;
        for (int ky = 0; ky < g.KernelHeight; ky++)
        {
            for (int kx = 0; kx < g.KernelWidth; kx++)
            {
                int row = WindowTaps.OutputRowOf(g, b, iy, ix, ky, kx), tap = ky * g.KernelWidth + kx;
                if (row < 0) continue;
                for (int q = 0; q < m; q++) sum += dy[row * cm + p * m + q] * filters[tap * cm + p * m + q];
            }
        }
        dx[i] = sum;
    }

    internal static void DepthwiseFilterGradKernel(Index1D i, ArrayView<float> x, ArrayView<float> dy, ArrayView<float> dfilters, WindowGeometry g)
    {
        int cm = g.OutChannels, m = cm / g.Channels, tap = i / cm, j = i % cm, p = j / m;
        int ky = tap / g.KernelWidth, kx = tap % g.KernelWidth;
        float sum = 0f;
        for (int row = 0; row < g.OutputPixels; row++)
        {
            int at = WindowTaps.Tap(g, row, ky, kx);
            if (at >= 0) sum += x[at + p] * dy[row * cm + j];
        }
        dfilters[i] = sum;
    }
}
