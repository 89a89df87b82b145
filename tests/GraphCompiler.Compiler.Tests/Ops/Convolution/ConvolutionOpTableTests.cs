using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Ops;
using Conv = GraphCompiler.Compiler.Ops.Composites.Convolution;
using Case = GraphCompiler.Compiler.Tests.Ops.OpTableTests.Case;

namespace GraphCompiler.Compiler.Tests.Ops.Convolution;

/// <summary>
/// Finite-difference gradient rows of the convolution family: odd sizes, stride 2, dilation 2, SAME
/// (asymmetric) and VALID padding, one channel, batch 1 and 2.
/// </summary>
public class ConvolutionOpTableTests
{
    private static int[] S(params int[] dims) => dims;

    public static readonly Case[] Cases =
    {
        new("conv2d_valid", new[] { S(2, 5, 4, 2), S(3, 3, 2, 3) }, (b, x) => Conv.Conv2D(b, x[0], x[1], null, false, null)),
        new("conv2d_same_stride2_odd", new[] { S(1, 5, 7, 2), S(3, 2, 2, 2) }, (b, x) => Conv.Conv2D(b, x[0], x[1], new[] { 2 }, true, null)),
        new("conv2d_same_even_stride2_asymmetric", new[] { S(1, 6, 4, 1), S(3, 3, 1, 2) }, (b, x) => Conv.Conv2D(b, x[0], x[1], new[] { 2, 2 }, true, null)),
        new("conv2d_dilation2_same", new[] { S(1, 6, 5, 1), S(2, 3, 1, 2) }, (b, x) => Conv.Conv2D(b, x[0], x[1], null, true, new[] { 2 })),
        new("conv2d_dilation2_valid_strided_width", new[] { S(2, 5, 7, 1), S(2, 2, 1, 1) }, (b, x) => Conv.Conv2D(b, x[0], x[1], new[] { 1, 2 }, false, new[] { 2, 1 })),
        new("conv2d_pointwise", new[] { S(1, 3, 3, 2), S(1, 1, 2, 3) }, (b, x) => Conv.Conv2D(b, x[0], x[1], null, false, null)),
        new("depthwise_conv2d_valid_multiplier2", new[] { S(2, 5, 4, 3), S(3, 3, 3, 2) }, (b, x) => Conv.DepthwiseConv2D(b, x[0], x[1], null, false, null)),
        new("depthwise_conv2d_same_stride2_odd", new[] { S(1, 7, 5, 2), S(3, 2, 2, 1) }, (b, x) => Conv.DepthwiseConv2D(b, x[0], x[1], new[] { 2 }, true, null)),
        new("depthwise_conv2d_dilation2_same_multiplier3", new[] { S(1, 6, 5, 2), S(2, 3, 2, 3) }, (b, x) => Conv.DepthwiseConv2D(b, x[0], x[1], null, true, new[] { 2 })),
        new("depthwise_conv2d_one_channel_strided_width", new[] { S(2, 5, 7, 1), S(2, 2, 1, 1) }, (b, x) => Conv.DepthwiseConv2D(b, x[0], x[1], new[] { 1, 2 }, false, null)),
        new("max_pool_valid_odd", new[] { S(2, 4, 5, 3) }, (b, x) => Conv.MaxPool2D(b, x[0], new[] { 2 }, null, false)),
        new("max_pool_same_3x3_stride2", new[] { S(1, 5, 6, 2) }, (b, x) => Conv.MaxPool2D(b, x[0], new[] { 3, 3 }, new[] { 2, 2 }, true)),
        new("avg_pool_valid", new[] { S(1, 4, 4, 2) }, (b, x) => Conv.AvgPool2D(b, x[0], new[] { 2, 2 }, null, false)),
        new("avg_pool_same_stride2_one_channel", new[] { S(2, 5, 6, 1) }, (b, x) => Conv.AvgPool2D(b, x[0], new[] { 3 }, new[] { 2 }, true)),
        new("global_average_pooling2d", new[] { S(2, 3, 4, 2) }, (b, x) => Conv.GlobalAveragePooling2D(b, x[0])),
        // Batch norm's choice of statistics: in the train step (the only one differentiated) its value is the first input.
        new("in_training", new[] { S(2, 3), S(2, 3) }, (b, x) => b.Apply("in_training", x), Wrt: new[] { 0 }, Training: true),
    };

    public static IEnumerable<object[]> CaseNames => Cases.Select(c => new object[] { c.Name });

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void GradientMatchesFiniteDifferences(string name) => OpTableTests.CheckGradient(Cases.Single(k => k.Name == name));
}
