using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Ops;

/// <summary>
/// The gradient of <see cref="Conv2D"/> with respect to its image: inputs (dy, filters), attributes the
/// convolution's plus <c>input_shape</c>. <c>dx[b, iy, ix, p] = Σ dy[b, oy, ox, q] · f[u, v, p, q]</c> over the
/// taps (oy, ox, u, v) that read (iy, ix): the transposed convolution. Not differentiated again.
/// </summary>
public sealed class Conv2DBackpropInput : OpDef
{
    public override string Name => "conv2d_backprop_input";
    public override OpClass Class => OpClass.Opaque;

    public override (DType DType, Shape Shape) InferType(IReadOnlyList<Node> inputs, Attrs attrs)
    {
        ExpectArity(inputs, 2, Name);
        var xShape = attrs.GetShape("input_shape");
        var g = Conv2D.Geometry(Name, xShape, inputs[1], attrs);
        if (!inputs[0].Shape.Equals(g.OutputShape(xShape[0], inputs[1].Shape[3])))
            throw new ShapeException($"{Name}: dy {inputs[0].Shape} is not the convolution's output shape {g.OutputShape(xShape[0], inputs[1].Shape[3])}");
        return (inputs[0].DType, xShape);
    }

    public override RefTensor Evaluate(IReadOnlyList<RefTensor> inputs, Attrs attrs, int[] outShape)
    {
        RefTensor dy = inputs[0], f = inputs[1];
        int c = outShape[3], o = f.Shape[3];
        var g = Window2D.Of(Name, Shape.Of(outShape), f.Shape[0], f.Shape[1], attrs);
        var dx = new double[RefTensor.Count(outShape)];
        g.ForEachTap(outShape[0], (b, oy, ox, ky, kx, iy, ix) =>
        {
            long xo = (((long)b * g.H + iy) * g.W + ix) * c, yo = (((long)b * g.OH + oy) * g.OW + ox) * o, fo = ((long)ky * g.KW + kx) * c * o;
            for (int p = 0; p < c; p++)
                for (int q = 0; q < o; q++)
                    dx[xo + p] += dy.Data[yo + q] * f.Data[fo + p * o + q];
        });
        return new RefTensor(dy.DType, outShape, dx.Select(v => RefTensor.Round(dy.DType, v)).ToArray());
    }
}
