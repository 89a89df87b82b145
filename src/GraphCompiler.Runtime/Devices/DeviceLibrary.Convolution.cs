using GraphCompiler.Runtime.Kernels;
using ILGPU;
using ILGPU.Runtime;

namespace GraphCompiler.Runtime.Devices;

/// <summary>
/// 2-D convolution over NHWC images with filters [kh, kw, c, o] on the device, as im2col and the device
/// GEMM (cuBLAS on CUDA): the output [n·oh·ow, o] is patches [n·oh·ow, kh·kw·c] · filters [kh·kw·c, o],
/// with the fused bias and relu applied in one pass over the output. Gradients: dx is dy · filtersᵀ
/// folded back over the taps (col2im, one thread per input value gathering from the patches that read it),
/// dfilters is patchesᵀ · dy. The patch matrix lives in a scratch buffer that grows to the largest
/// convolution the model runs; a 1×1, stride-1 convolution without padding uses the image itself.
/// The geometry is checked on the host with the CPU routines' rules, because a kernel cannot throw.
/// </summary>
public sealed partial class DeviceLibrary
{
    private MemoryBuffer1D<float, Stride1D.Dense>? _patches;

    /// <summary>y = conv2d(x, filters) + bias, then relu when <paramref name="relu"/> (bias empty for none), as <see cref="Convolution.Forward"/>.</summary>
    public void Conv2D(WindowGeometry g, ArrayView<float> x, ArrayView<float> filters, ArrayView<float> bias, bool relu, ArrayView<float> y)
    {
        Check(g, x, y, g.OutChannels, filters);
        if (bias.Length != 0 && bias.Length != g.OutChannels)
            throw new ArgumentException($"The bias has {bias.Length} values but the convolution has {g.OutChannels} output channels.", nameof(bias));
        int rows = g.OutputPixels, k = g.PatchSize, o = g.OutChannels;
        if (rows == 0) return;
        var patches = g.IsPointwise ? x : Im2Col(g, x);
        _device.Gemm.Gemm(false, false, rows, o, k, 1f, patches, filters, 0f, y);
        if (bias.Length != 0 || relu)
            _device.Kernels.Auto<ArrayView<float>, ArrayView<float>, int, int>(BiasReluKernel)(rows * o, y, bias, o, relu ? 1 : 0);
    }

    /// <summary>dx of a convolution from dy and the filters, as <see cref="Convolution.BackpropInput"/>.</summary>
    public void Conv2DBackpropInput(WindowGeometry g, ArrayView<float> dy, ArrayView<float> filters, ArrayView<float> dx)
    {
        Check(g, dx, dy, g.OutChannels, filters);
        int rows = g.OutputPixels, k = g.PatchSize, o = g.OutChannels;
        if (rows == 0) return;
        if (g.IsPointwise)
        {
            _device.Gemm.Gemm(false, true, rows, k, o, 1f, dy, filters, 0f, dx);
            return;
        }
        var patches = Scratch((long)rows * k);
        _device.Gemm.Gemm(false, true, rows, k, o, 1f, dy, filters, 0f, patches);
        _device.Kernels.Auto<ArrayView<float>, ArrayView<float>, WindowGeometry>(Col2ImKernel)(g.InputLength, patches, dx, g);
    }

    /// <summary>dfilters of a convolution from x and dy, as <see cref="Convolution.BackpropFilter"/>.</summary>
    public void Conv2DBackpropFilter(WindowGeometry g, ArrayView<float> x, ArrayView<float> dy, ArrayView<float> dfilters)
    {
        Check(g, x, dy, g.OutChannels, dfilters);
        int rows = g.OutputPixels, k = g.PatchSize, o = g.OutChannels;
        if (rows == 0)
        {
            Fill(dfilters.SubView(0, (long)k * o), 0f);
            return;
        }
        var patches = g.IsPointwise ? x : Im2Col(g, x);
        _device.Gemm.Gemm(true, false, k, o, rows, 1f, patches, dy, 0f, dfilters);
    }

    /// <summary>The patch matrix of x in the scratch buffer.</summary>
    private ArrayView<float> Im2Col(WindowGeometry g, ArrayView<float> x)
    {
        long count = (long)g.OutputPixels * g.PatchSize;
        var patches = Scratch(count);
        _device.Kernels.Auto<ArrayView<float>, ArrayView<float>, WindowGeometry>(Im2ColKernel)((int)count, x, patches, g);
        return patches;
    }

    /// <summary>The first <paramref name="count"/> floats of the scratch buffer, grown when too short (everything runs on one stream, so one buffer serves every call in turn).</summary>
    private ArrayView<float> Scratch(long count)
    {
        if (_patches is null || _patches.Length < count)
        {
            _patches?.Dispose();
            _patches = _device.Accelerator.Allocate1D<float>(count);
        }
        return _patches.View.SubView(0, count);
    }

    /// <summary>The CPU routines' checks of the image, output and filter lengths.</summary>
    private static void Check(WindowGeometry g, ArrayView<float> x, ArrayView<float> y, int yChannels, ArrayView<float> filters)
    {
        g.Check(checked((int)x.Length), checked((int)y.Length), yChannels);
        if (filters.Length != (long)g.PatchSize * g.OutChannels)
            throw new ArgumentException($"The filters have {filters.Length} values but the geometry needs {g.KernelHeight}×{g.KernelWidth}×{g.Channels}×{g.OutChannels}.");
    }

    internal static void Im2ColKernel(Index1D i, ArrayView<float> x, ArrayView<float> patches, WindowGeometry g)
    {
        int k = g.PatchSize, row = i / k, t = i % k, c = t % g.Channels, tap = t / g.Channels;
        int at = WindowTaps.Tap(g, row, tap / g.KernelWidth, tap % g.KernelWidth);
        patches[i] = at < 0 ? 0f : x[at + c];
    }

    internal static void Col2ImKernel(Index1D i, ArrayView<float> patches, ArrayView<float> dx, WindowGeometry g)
    {
        int c = i % g.Channels, pixel = i / g.Channels, ix = pixel % g.Width, iy = pixel / g.Width % g.Height, b = pixel / (g.Width * g.Height);
        float sum = 0f;
        for (int ky = 0; ky < g.KernelHeight; ky++)
        {
            for (int kx = 0; kx < g.KernelWidth; kx++)
            {
                long row = (long)WindowTaps.OutputRowOf(g, b, iy, ix, ky, kx);
                if (row < 0) continue;
                sum += patches[row * g.PatchSize + (ky * g.KernelWidth + kx) * g.Channels + c];
            }
        }
        dx[i] = sum;
    }

    internal static void BiasReluKernel(Index1D i, ArrayView<float> y, ArrayView<float> bias, int channels, int relu)
    {
        float v = y[i];
        if (bias.Length != 0) v += bias[i % channels];
        y[i] = relu != 0 && !(v > 0f) ? 0f : v; // x > 0 ? x : 0, as the CPU epilogue (NaN gives 0)
    }
}
