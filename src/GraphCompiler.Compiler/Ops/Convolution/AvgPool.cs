using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Ops;

/// <summary>
/// Average pooling over NHWC windows (attributes as <see cref="MaxPool"/>): the mean of the window's taps
/// inside the image, so with SAME padding a border window divides by the taps it has (TensorFlow's rule).
/// Gradient: avg_pool_grad(dy), each dy value spread evenly over its window's taps.
/// </summary>
public sealed class AvgPool : OpDef
{
    public override string Name => "avg_pool";
    public override OpClass Class => OpClass.Opaque;
    public override bool HasGradient => true;

    public override (DType DType, Shape Shape) InferType(IReadOnlyList<Node> inputs, Attrs attrs) => Window2D.PoolType(Name, inputs, attrs);

    public override IReadOnlyList<Node?> Gradient(GraphBuilder g, Node node, Node dy) =>
        new[] { g.Apply("avg_pool_grad", new[] { dy }, node.Attrs.With("input_shape", node.Inputs[0].Shape)) };

    public override RefTensor Evaluate(IReadOnlyList<RefTensor> inputs, Attrs attrs, int[] outShape)
    {
        var x = inputs[0];
        int c = x.Shape[3];
        var g = Window2D.OfPool(Name, Shape.Of(x.Shape), attrs);
        var counts = TapCounts(g, x.Shape[0]);
        var y = new double[RefTensor.Count(outShape)];
        g.ForEachTap(x.Shape[0], (b, oy, ox, ky, kx, iy, ix) =>
        {
            long xo = (((long)b * g.H + iy) * g.W + ix) * c, yo = (((long)b * g.OH + oy) * g.OW + ox) * c;
            for (int p = 0; p < c; p++) y[yo + p] += x.Data[xo + p] / counts[yo / c];
        });
        return new RefTensor(x.DType, outShape, y.Select(v => RefTensor.Round(x.DType, v)).ToArray());
    }

    /// <summary>How many taps of each output window lie inside the image, per (b, oy, ox).</summary>
    internal static int[] TapCounts(Window2D g, int batch)
    {
        var counts = new int[batch * g.OH * g.OW];
        g.ForEachTap(batch, (b, oy, ox, ky, kx, iy, ix) => counts[(b * g.OH + oy) * g.OW + ox]++);
        return counts;
    }
}
