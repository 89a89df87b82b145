namespace GraphCompiler;

/// <summary>How a sliding window treats the image border (TensorFlow's <c>padding</c>).</summary>
public enum Padding
{
    /// <summary>Windows only where they fit: out = ⌈(in − (k−1)·d) / s⌉.</summary>
    Valid = 0,

    /// <summary>out = ⌈in / s⌉, zero padding split with the larger half after (TensorFlow's asymmetric rule).</summary>
    Same = 1,
}

/// <summary>Convolution and pooling over NHWC images ([batch, height, width, channels], TensorFlow's default).</summary>
public static partial class Ops
{
    /// <summary>
    /// 2-D convolution (cross-correlation) of x [n, h, w, c] with <paramref name="filters"/> [kh, kw, c, o]:
    /// <c>y[b, i, j, q] = Σ_{u,v,p} x[b, i·sh + u·dh − top, j·sw + v·dw − left, p] · f[u, v, p, q]</c>, zero outside
    /// the image. <paramref name="strides"/> and <paramref name="dilations"/> are [height, width] (default 1);
    /// strides and dilations above 1 cannot be combined on one axis. Gradient: dx is the transposed
    /// convolution of dy with f; <c>df[u, v, p, q] = Σ x[b, i·sh + u·dh − top, j·sw + v·dw − left, p] · dy[b, i, j, q]</c>.
    /// </summary>
    public static Tensor Conv2D(Tensor x, Tensor filters, int[]? strides = null, Padding padding = Padding.Valid, int[]? dilations = null) =>
        throw BuildTime.Only("Ops.Conv2D");

    /// <summary>
    /// <c>tf.nn.depthwise_conv2d</c>: each channel p of x [n, h, w, c] convolved with its own m filters of
    /// <paramref name="filters"/> [kh, kw, c, m]: <c>y[b, i, j, p·m + q] = Σ_{u,v} x[b, i·sh + u·dh − top, j·sw + v·dw − left, p] · f[u, v, p, q]</c>
    /// (c·m output channels); strides, dilations and padding as <see cref="Conv2D"/>. Gradient: dx sums dy over the
    /// multiplier and the taps that read each pixel; <c>df[u, v, p, q] = Σ x[…, p] · dy[…, p·m + q]</c>.
    /// </summary>
    public static Tensor DepthwiseConv2D(Tensor x, Tensor filters, int[]? strides = null, Padding padding = Padding.Valid, int[]? dilations = null) =>
        throw BuildTime.Only("Ops.DepthwiseConv2D");

    /// <summary>
    /// Max pooling: the maximum of each <paramref name="poolSize"/> window (strides default to the window
    /// size, as Keras's). Gradient: dy goes to each window's first maximum.
    /// </summary>
    public static Tensor MaxPool2D(Tensor x, int[] poolSize, int[]? strides = null, Padding padding = Padding.Valid) =>
        throw BuildTime.Only("Ops.MaxPool2D");

    /// <summary>
    /// Average pooling: the mean of each window's values inside the image (SAME border windows divide by
    /// the values they have). Gradient: dy spread evenly over the window.
    /// </summary>
    public static Tensor AvgPool2D(Tensor x, int[] poolSize, int[]? strides = null, Padding padding = Padding.Valid) =>
        throw BuildTime.Only("Ops.AvgPool2D");

    /// <summary>The mean over height and width: [n, h, w, c] → [n, c]. Gradient: dy / (h·w) at every pixel.</summary>
    public static Tensor GlobalAveragePooling2D(Tensor x) => throw BuildTime.Only("Ops.GlobalAveragePooling2D");
}
