using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Ops;

/// <summary>
/// Max pooling over NHWC windows (attributes ksize, strides, dilations, padding; see <see cref="Window2D"/>):
/// <c>y[b, i, j, c] = max x[b, iy, ix, c]</c> over the window's taps inside the image (SAME padding never
/// wins, as TensorFlow's −∞ padding). Gradient: max_pool_grad(x, dy), dy routed to each window's first maximum.
/// </summary>
public sealed class MaxPool : OpDef
{
    public override string Name => "max_pool";
    public override OpClass Class => OpClass.Opaque;
    public override bool HasGradient => true;

    public override (DType DType, Shape Shape) InferType(IReadOnlyList<Node> inputs, Attrs attrs) => Window2D.PoolType(Name, inputs, attrs);

    public override IReadOnlyList<Node?> Gradient(GraphBuilder g, Node node, Node dy) =>
        new[] { g.Apply("max_pool_grad", new[] { node.Inputs[0], dy }, node.Attrs) };

    public override RefTensor Evaluate(IReadOnlyList<RefTensor> inputs, Attrs attrs, int[] outShape)
    {
        var x = inputs[0];
        var argmax = ArgMax(x, attrs, out _);
        return new RefTensor(x.DType, outShape, argmax.Select(i => x.Data[i]).ToArray());
    }

    /// <summary>The flat index into x of each output's maximum (the first in tap order on ties).</summary>
    internal static long[] ArgMax(RefTensor x, Attrs attrs, out Window2D g)
    {
        var geometry = g = Window2D.OfPool("max_pool", Shape.Of(x.Shape), attrs);
        int c = x.Shape[3];
        var best = new long[(long)x.Shape[0] * g.OH * g.OW * c];
        for (int i = 0; i < best.Length; i++) best[i] = -1;
        g.ForEachTap(x.Shape[0], (b, oy, ox, ky, kx, iy, ix) =>
        {
            long xo = (((long)b * geometry.H + iy) * geometry.W + ix) * c, yo = (((long)b * geometry.OH + oy) * geometry.OW + ox) * c;
            for (int p = 0; p < c; p++)
                if (best[yo + p] < 0 || x.Data[xo + p] > x.Data[best[yo + p]]) best[yo + p] = xo + p;
        });
        return best;
    }
}
