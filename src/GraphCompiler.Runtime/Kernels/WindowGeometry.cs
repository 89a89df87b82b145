namespace GraphCompiler.Runtime.Kernels;

/// <summary>
/// A sliding window over NHWC images, as the compiler resolved it: batch and image size, the window
/// (kernel) size, output channels, output size, strides, dilations and the padding before each axis
/// (TensorFlow's SAME padding puts the larger half after, which the output size already implies).
/// Output pixel (oy, ox)'s tap (ky, kx) reads input (oy·sh − top + ky·dh, ox·sw − left + kx·dw).
/// </summary>
public readonly record struct WindowGeometry(
    int Batch, int Height, int Width, int Channels, int KernelHeight, int KernelWidth, int OutChannels,
    int OutHeight, int OutWidth, int StrideH, int StrideW, int DilationH, int DilationW, int PadTop, int PadLeft)
{
    /// <summary>Output pixels over the batch: the rows of the implicit GEMM.</summary>
    public int OutputPixels => Batch * OutHeight * OutWidth;

    /// <summary>Values in one patch (kh·kw·c): the inner dimension of the implicit GEMM.</summary>
    public int PatchSize => KernelHeight * KernelWidth * Channels;

    public int InputLength => Batch * Height * Width * Channels;

    /// <summary>True when the patches are the image itself (1×1, stride 1, no padding): no gather needed.</summary>
    public bool IsPointwise => KernelHeight == 1 && KernelWidth == 1 && StrideH == 1 && StrideW == 1 && PadTop == 0 && PadLeft == 0
        && OutHeight == Height && OutWidth == Width;

    /// <summary>Checks the geometry against the spans a routine was given.</summary>
    internal void Check(int xLength, int yLength, int yChannels)
    {
        if (Batch < 0 || Height < 1 || Width < 1 || Channels < 1 || KernelHeight < 1 || KernelWidth < 1 || OutHeight < 1 || OutWidth < 1
            || StrideH < 1 || StrideW < 1 || DilationH < 1 || DilationW < 1)
            throw new ArgumentException($"Invalid window geometry {this}.");
        if (xLength != InputLength)
            throw new ArgumentException($"The image has {xLength} values but the geometry needs {InputLength} ({Batch}×{Height}×{Width}×{Channels}).");
        if (yLength != OutputPixels * yChannels)
            throw new ArgumentException($"The output has {yLength} values but the geometry needs {(long)OutputPixels * yChannels}.");
    }

    /// <summary>The image offset of each tap of output pixel <paramref name="row"/> in (ky, kx) order, −1 in the padding.</summary>
    internal void TapOffsets(int row, Span<int> taps)
    {
        int pixels = OutHeight * OutWidth, b = row / pixels, p = row % pixels;
        int y0 = p / OutWidth * StrideH - PadTop, x0 = p % OutWidth * StrideW - PadLeft;
        for (int ky = 0; ky < KernelHeight; ky++)
            for (int kx = 0; kx < KernelWidth; kx++)
                taps[ky * KernelWidth + kx] = Pixel(b, y0 + ky * DilationH, x0 + kx * DilationW);
    }

    /// <summary>The offset of input pixel (b, iy, ix), or −1 in the padding.</summary>
    internal int Pixel(int b, int iy, int ix) =>
        iy < 0 || iy >= Height || ix < 0 || ix >= Width ? -1 : ((b * Height + iy) * Width + ix) * Channels;
}
