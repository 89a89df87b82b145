using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Ops;

/// <summary>
/// The gradient of <see cref="AvgPool"/>: input dy, avg_pool's attributes plus <c>input_shape</c>; each dy
/// value divided by its window's tap count is added at every tap. Not differentiated again.
/// </summary>
public sealed class AvgPoolGrad : OpDef
{
    public override string Name => "avg_pool_grad";
    public override OpClass Class => OpClass.Opaque;

    public override (DType DType, Shape Shape) InferType(IReadOnlyList<Node> inputs, Attrs attrs)
    {
        ExpectArity(inputs, 1, Name);
        var xShape = attrs.GetShape("input_shape");
        var y = Window2D.OfPool(Name, xShape, attrs).OutputShape(xShape[0], xShape[3]);
        if (!inputs[0].Shape.Equals(y)) throw new ShapeException($"{Name}: dy {inputs[0].Shape} is not the pooling's output shape {y}");
        return (inputs[0].DType, xShape);
    }

    public override RefTensor Evaluate(IReadOnlyList<RefTensor> inputs, Attrs attrs, int[] outShape)
    {
        var dy = inputs[0];
        int c = outShape[3];
        var g = Window2D.OfPool(Name, Shape.Of(outShape), attrs);
        var counts = AvgPool.TapCounts(g, outShape[0]);
        var dx = new double[RefTensor.Count(outShape)];
        g.ForEachTap(outShape[0], (b, oy, ox, ky, kx, iy, ix) =>
        {
            long xo = (((long)b * g.H + iy) * g.W + ix) * c, yo = (((long)b * g.OH + oy) * g.OW + ox) * c;
            for (int p = 0; p < c; p++) dx[xo + p] += dy.Data[yo + p] / counts[yo / c];
        });
        return new RefTensor(dy.DType, outShape, dx.Select(v => RefTensor.Round(dy.DType, v)).ToArray());
    }
}
