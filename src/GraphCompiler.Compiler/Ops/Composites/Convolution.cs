using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Ops.Composites;

/// <summary>
/// The convolution family as builder methods: the user API's defaults (strides and dilations of 1,
/// pooling strides equal to the window) resolved into the window ops' attributes, and global average
/// pooling as a mean over height and width.
/// </summary>
public static class Convolution
{
    public static Node Conv2D(GraphBuilder g, Node x, Node filters, int[]? strides, bool same, int[]? dilations) =>
        g.Apply("conv2d", new[] { x, filters }, Window2D.Attributes(Pair(strides, 1), Pair(dilations, 1), same));

    public static Node DepthwiseConv2D(GraphBuilder g, Node x, Node filters, int[]? strides, bool same, int[]? dilations) =>
        g.Apply("depthwise_conv2d", new[] { x, filters }, Window2D.Attributes(Pair(strides, 1), Pair(dilations, 1), same));

    public static Node MaxPool2D(GraphBuilder g, Node x, int[] poolSize, int[]? strides, bool same) =>
        g.Apply("max_pool", new[] { x }, PoolAttributes(poolSize, strides, same));

    public static Node AvgPool2D(GraphBuilder g, Node x, int[] poolSize, int[]? strides, bool same) =>
        g.Apply("avg_pool", new[] { x }, PoolAttributes(poolSize, strides, same));

    /// <summary>[n, h, w, c] → [n, c]: the sum over height and width divided by h·w.</summary>
    public static Node GlobalAveragePooling2D(GraphBuilder g, Node x)
    {
        if (x.Shape.Rank != 4 || !x.Shape[1].IsStatic || !x.Shape[2].IsStatic)
            throw new ShapeException($"global_average_pooling2d: the input must be NHWC with static height and width, got {x.Shape}");
        var sum = g.Apply("reduce_sum", new[] { x }, Attrs.Of(("axes", new[] { 1, 2 }), ("keepdims", false)));
        return g.Div(sum, g.Constant(x.Shape[1].Size * (double)x.Shape[2].Size, x.DType));
    }

    private static Attrs PoolAttributes(int[] poolSize, int[]? strides, bool same)
    {
        var window = Pair(poolSize, 1);
        return Window2D.Attributes(strides is null ? window : Pair(strides, 1), new[] { 1, 1 }, same, window);
    }

    /// <summary>[height, width] from null (the default), one value (both axes) or two.</summary>
    private static int[] Pair(int[]? values, int fallback) => values switch
    {
        null => new[] { fallback, fallback },
        { Length: 1 } => new[] { values[0], values[0] },
        _ => values,
    };
}
