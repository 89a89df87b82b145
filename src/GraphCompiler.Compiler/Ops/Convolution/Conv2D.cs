using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Ops;

/// <summary>
/// 2-D convolution (cross-correlation, as TensorFlow's <c>conv2d</c>) of an NHWC image x [n, h, w, c] with
/// filters [kh, kw, c, o]: <c>y[b, i, j, q] = Σ_{u,v,p} x[b, i·sh − top + u·dh, j·sw − left + v·dw, p] · f[u, v, p, q]</c>,
/// taps in the padding reading zero (<see cref="Window2D"/>). Gradient: dx = conv2d_backprop_input(dy, f),
/// df = conv2d_backprop_filter(x, dy).
/// </summary>
/// <remarks>
/// Opaque: kernel lowering describes it as a <see cref="Kernels.ConvolutionCall"/> (with any per-channel
/// bias and relu fused into its store), which each back end runs as an implicit GEMM.
/// </remarks>
public sealed class Conv2D : OpDef
{
    public override string Name => "conv2d";
    public override OpClass Class => OpClass.Opaque;
    public override bool HasGradient => true;

    public override (DType DType, Shape Shape) InferType(IReadOnlyList<Node> inputs, Attrs attrs)
    {
        ExpectArity(inputs, 2, Name);
        Node x = inputs[0], f = inputs[1];
        var g = Geometry(Name, x.Shape, f, attrs);
        if (f.Shape[2] != x.Shape[3])
            throw new ShapeException($"{Name}: the filters {f.Shape} take {f.Shape[2]} input channels but the image {x.Shape} has {x.Shape[3]}");
        if (!x.DType.IsFloat() || f.DType != x.DType)
            throw new ShapeException($"{Name}: the image and filters must be the same float type, got {x.DType.ShortName()} and {f.DType.ShortName()}");
        return (x.DType, g.OutputShape(x.Shape[0], f.Shape[3]));
    }

    /// <summary>The window geometry of a convolution with filters <paramref name="f"/> [kh, kw, in, out] over <paramref name="x"/>.</summary>
    internal static Window2D Geometry(string op, Shape x, Node f, Attrs attrs)
    {
        if (f.Shape.Rank != 4 || !f.Shape.IsStatic)
            throw new ShapeException($"{op}: the filters must be static [height, width, in channels, out channels], got {f.Shape}");
        return Window2D.Of(op, x, f.Shape[0].Size, f.Shape[1].Size, attrs);
    }

    public override IReadOnlyList<Node?> Gradient(GraphBuilder g, Node node, Node dy)
    {
        Node x = node.Inputs[0], f = node.Inputs[1];
        var dx = g.Apply("conv2d_backprop_input", new[] { dy, f }, node.Attrs.With("input_shape", x.Shape));
        var df = g.Apply("conv2d_backprop_filter", new[] { x, dy }, node.Attrs.With("filter_shape", f.Shape));
        return new[] { dx, df };
    }

    public override RefTensor Evaluate(IReadOnlyList<RefTensor> inputs, Attrs attrs, int[] outShape)
    {
        RefTensor x = inputs[0], f = inputs[1];
        int c = x.Shape[3], o = f.Shape[3];
        var g = Window2D.Of(Name, Shape.Of(x.Shape), f.Shape[0], f.Shape[1], attrs);
        var y = new double[RefTensor.Count(outShape)];
        g.ForEachTap(x.Shape[0], (b, oy, ox, ky, kx, iy, ix) =>
        {
            long xo = (((long)b * g.H + iy) * g.W + ix) * c, yo = (((long)b * g.OH + oy) * g.OW + ox) * o, fo = ((long)ky * g.KW + kx) * c * o;
            for (int p = 0; p < c; p++)
                for (int q = 0; q < o; q++)
                    y[yo + q] += x.Data[xo + p] * f.Data[fo + p * o + q];
        });
        return new RefTensor(x.DType, outShape, y.Select(v => RefTensor.Round(x.DType, v)).ToArray());
    }
}
