using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Ops;

/// <summary>
/// Depthwise 2-D convolution (TensorFlow's <c>depthwise_conv2d_native</c>) of an NHWC image x [n, h, w, c] with
/// filters [kh, kw, c, m] (m the depth multiplier): each input channel p is convolved with its own m filters,
/// <c>y[b, i, j, p·m + q] = Σ_{u,v} x[b, i·sh − top + u·dh, j·sw − left + v·dw, p] · f[u, v, p, q]</c>, so the
/// output has c·m channels; geometry (strides, dilations, SAME/VALID) as <see cref="Conv2D"/>.
/// Gradient: dx = depthwise_conv2d_backprop_input(dy, f), df = depthwise_conv2d_backprop_filter(x, dy).
/// </summary>
/// <remarks>Opaque: lowered to a <see cref="Kernels.ConvolutionCall"/> that the runtime runs as a direct loop over taps (one multiply-add per channel and tap: no GEMM to feed).</remarks>
public sealed class DepthwiseConv2D : OpDef
{
    public override string Name => "depthwise_conv2d";
    public override OpClass Class => OpClass.Opaque;
    public override bool HasGradient => true;

    public override (DType DType, Shape Shape) InferType(IReadOnlyList<Node> inputs, Attrs attrs)
    {
        ExpectArity(inputs, 2, Name);
        Node x = inputs[0], f = inputs[1];
        var g = Conv2D.Geometry(Name, x.Shape, f, attrs);
        if (f.Shape[2] != x.Shape[3])
            throw new ShapeException($"{Name}: the filters {f.Shape} are for {f.Shape[2]} input channels but the image {x.Shape} has {x.Shape[3]}");
        if (!x.DType.IsFloat() || f.DType != x.DType)
            throw new ShapeException($"{Name}: the image and filters must be the same float type, got {x.DType.ShortName()} and {f.DType.ShortName()}");
        return (x.DType, g.OutputShape(x.Shape[0], f.Shape[2].Size * f.Shape[3].Size));
    }

    public override IReadOnlyList<Node?> Gradient(GraphBuilder g, Node node, Node dy)
    {
        Node x = node.Inputs[0], f = node.Inputs[1];
        var dx = g.Apply("depthwise_conv2d_backprop_input", new[] { dy, f }, node.Attrs.With("input_shape", x.Shape));
        var df = g.Apply("depthwise_conv2d_backprop_filter", new[] { x, dy }, node.Attrs.With("filter_shape", f.Shape));
        return new[] { dx, df };
    }

    public override RefTensor Evaluate(IReadOnlyList<RefTensor> inputs, Attrs attrs, int[] outShape)
    {
        RefTensor x = inputs[0], f = inputs[1];
        var y = new double[RefTensor.Count(outShape)];
        ForEachProduct(Name, x.Shape, f.Shape, attrs, (xi, fi, yi) => y[yi] += x.Data[xi] * f.Data[fi]);
        return new RefTensor(x.DType, outShape, y.Select(v => RefTensor.Round(x.DType, v)).ToArray());
    }

    /// <summary>
    /// Every term of the sum, as (x index, filter index, y index), for an image of <paramref name="image"/> and
    /// filters of <paramref name="filters"/>: the three reference evaluations are this loop with a different accumulation.
    /// </summary>
    internal static void ForEachProduct(string op, int[] image, int[] filters, Attrs attrs, Action<long, long, long> term)
    {
        int c = image[3], m = filters[3];
        var g = Window2D.Of(op, Shape.Of(image), filters[0], filters[1], attrs);
        g.ForEachTap(image[0], (b, oy, ox, ky, kx, iy, ix) =>
        {
            long xo = (((long)b * g.H + iy) * g.W + ix) * c, yo = (((long)b * g.OH + oy) * g.OW + ox) * c * m, fo = ((long)ky * g.KW + kx) * c * m;
            for (int p = 0; p < c; p++)
                for (int q = 0; q < m; q++)
                    term(xo + p, fo + p * m + q, yo + p * m + q);
        });
    }
}
