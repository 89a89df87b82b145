using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Ops;

/// <summary>
/// The gradient of <see cref="DepthwiseConv2D"/> with respect to its filters: inputs (x, dy), attributes the
/// convolution's plus <c>filter_shape</c> [kh, kw, c, m]. <c>df[u, v, p, q] = Σ x[b, iy, ix, p] · dy[b, oy, ox, p·m + q]</c>
/// over the batch and the output pixels. Not differentiated again.
/// </summary>
public sealed class DepthwiseConv2DBackpropFilter : OpDef
{
    public override string Name => "depthwise_conv2d_backprop_filter";
    public override OpClass Class => OpClass.Opaque;

    public override (DType DType, Shape Shape) InferType(IReadOnlyList<Node> inputs, Attrs attrs)
    {
        ExpectArity(inputs, 2, Name);
        Node x = inputs[0], dy = inputs[1];
        var fShape = attrs.GetShape("filter_shape");
        var expected = Window2D.Of(Name, x.Shape, fShape[0].Size, fShape[1].Size, attrs).OutputShape(x.Shape[0], fShape[2].Size * fShape[3].Size);
        if (!dy.Shape.Equals(expected))
            throw new ShapeException($"{Name}: dy {dy.Shape} is not the convolution's output shape {expected}");
        return (x.DType, fShape);
    }

    public override RefTensor Evaluate(IReadOnlyList<RefTensor> inputs, Attrs attrs, int[] outShape)
    {
        RefTensor x = inputs[0], dy = inputs[1];
        var df = new double[RefTensor.Count(outShape)];
        DepthwiseConv2D.ForEachProduct(Name, x.Shape, outShape, attrs, (xi, fi, yi) => df[fi] += x.Data[xi] * dy.Data[yi]);
        return new RefTensor(x.DType, outShape, df.Select(v => RefTensor.Round(x.DType, v)).ToArray());
    }
}
