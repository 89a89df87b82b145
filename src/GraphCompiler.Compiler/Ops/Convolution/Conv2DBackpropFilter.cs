using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Ops;

/// <summary>
/// The gradient of <see cref="Conv2D"/> with respect to its filters: inputs (x, dy), attributes the
/// convolution's plus <c>filter_shape</c>. <c>df[u, v, p, q] = Σ x[b, iy, ix, p] · dy[b, oy, ox, q]</c> over
/// every tap (b, oy, ox) at filter position (u, v). Not differentiated again.
/// </summary>
public sealed class Conv2DBackpropFilter : OpDef
{
    public override string Name => "conv2d_backprop_filter";
    public override OpClass Class => OpClass.Opaque;

    public override (DType DType, Shape Shape) InferType(IReadOnlyList<Node> inputs, Attrs attrs)
    {
        ExpectArity(inputs, 2, Name);
        var fShape = attrs.GetShape("filter_shape");
        if (fShape.Rank != 4 || !fShape.IsStatic) throw new ShapeException($"{Name}: filter_shape must be static [kh, kw, in, out], got {fShape}");
        var g = Window2D.Of(Name, inputs[0].Shape, fShape[0].Size, fShape[1].Size, attrs);
        if (!inputs[1].Shape.Equals(g.OutputShape(inputs[0].Shape[0], fShape[3])))
            throw new ShapeException($"{Name}: dy {inputs[1].Shape} is not the convolution's output shape {g.OutputShape(inputs[0].Shape[0], fShape[3])}");
        return (inputs[0].DType, fShape);
    }

    public override RefTensor Evaluate(IReadOnlyList<RefTensor> inputs, Attrs attrs, int[] outShape)
    {
        RefTensor x = inputs[0], dy = inputs[1];
        int c = x.Shape[3], o = outShape[3];
        var g = Window2D.Of(Name, Shape.Of(x.Shape), outShape[0], outShape[1], attrs);
        var df = new double[RefTensor.Count(outShape)];
        g.ForEachTap(x.Shape[0], (b, oy, ox, ky, kx, iy, ix) =>
        {
            long xo = (((long)b * g.H + iy) * g.W + ix) * c, yo = (((long)b * g.OH + oy) * g.OW + ox) * o, fo = ((long)ky * g.KW + kx) * c * o;
            for (int p = 0; p < c; p++)
                for (int q = 0; q < o; q++)
                    df[fo + p * o + q] += x.Data[xo + p] * dy.Data[yo + q];
        });
        return new RefTensor(x.DType, outShape, df.Select(v => RefTensor.Round(x.DType, v)).ToArray());
    }
}
