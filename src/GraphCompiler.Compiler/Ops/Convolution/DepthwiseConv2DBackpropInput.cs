using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Ops;

/// <summary>
/// The gradient of <see cref="DepthwiseConv2D"/> with respect to its image: inputs (dy, filters), attributes the
/// convolution's plus <c>input_shape</c>. <c>dx[b, iy, ix, p] = Σ dy[b, oy, ox, p·m + q] · f[u, v, p, q]</c> over the
/// taps that read (iy, ix) and the multiplier q. Not differentiated again.
/// </summary>
public sealed class DepthwiseConv2DBackpropInput : OpDef
{
    public override string Name => "depthwise_conv2d_backprop_input";
    public override OpClass Class => OpClass.Opaque;

    public override (DType DType, Shape Shape) InferType(IReadOnlyList<Node> inputs, Attrs attrs)
    {
        ExpectArity(inputs, 2, Name);
        var xShape = attrs.GetShape("input_shape");
        var f = inputs[1];
        var expected = Conv2D.Geometry(Name, xShape, f, attrs).OutputShape(xShape[0], f.Shape[2].Size * f.Shape[3].Size);
        if (!inputs[0].Shape.Equals(expected))
            throw new ShapeException($"{Name}: dy {inputs[0].Shape} is not the convolution's output shape {expected}");
        return (inputs[0].DType, xShape);
    }

    public override RefTensor Evaluate(IReadOnlyList<RefTensor> inputs, Attrs attrs, int[] outShape)
    {
        RefTensor dy = inputs[0], f = inputs[1];
        var dx = new double[RefTensor.Count(outShape)];
        DepthwiseConv2D.ForEachProduct(Name, outShape, f.Shape, attrs, (xi, fi, yi) => dx[xi] += dy.Data[yi] * f.Data[fi]);
        return new RefTensor(dy.DType, outShape, dx.Select(v => RefTensor.Round(dy.DType, v)).ToArray());
    }
}
