using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Ops;
using Conv = GraphCompiler.Compiler.Ops.Composites.Convolution;

namespace GraphCompiler.Compiler.Tests.Ops.Convolution;

/// <summary>TensorFlow's output sizes and padding, and the reference convolution and pooling on hand-computed examples.</summary>
public class Window2DTests
{
    [Theory]
    // input, kernel, stride, dilation, same → output, padding before
    [InlineData(5, 3, 2, 1, true, 3, 1)]
    [InlineData(6, 3, 2, 1, true, 3, 0)] // total padding 1: none before, one after
    [InlineData(7, 3, 1, 2, true, 7, 2)]
    [InlineData(7, 3, 1, 2, false, 3, 0)]
    [InlineData(8, 3, 2, 1, false, 3, 0)]
    [InlineData(1, 1, 1, 1, false, 1, 0)]
    [InlineData(4, 1, 3, 1, true, 2, 0)]
    public void SizesAndPaddingFollowTensorFlow(int input, int k, int stride, int dilation, bool same, int output, int before)
    {
        var g = Window2D.Of("t", Shape.Of(1, input, input, 1), k, k, Window2D.Attributes(new[] { stride, stride }, new[] { dilation, dilation }, same));
        Assert.Equal((output, before), (g.OH, g.PadTop));
        Assert.Equal((output, before), (g.OW, g.PadLeft));
    }

    [Fact]
    public void AWindowThatDoesNotFitIsAShapeError()
    {
        var b = new GraphBuilder("t");
        var x = b.Input("x", DType.Float32, Shape.Of(1, 2, 2, 1));
        var f = b.Input("f", DType.Float32, Shape.Of(3, 3, 1, 1));
        var e = Assert.Throws<ShapeException>(() => Conv.Conv2D(b, x, f, null, false, null));
        Assert.Contains("does not fit", e.Message);
        var wrongChannels = b.Input("g", DType.Float32, Shape.Of(1, 1, 2, 1));
        Assert.Contains("input channels", Assert.Throws<ShapeException>(() => Conv.Conv2D(b, x, wrongChannels, null, false, null)).Message);
    }

    [Fact]
    public void SymbolicBatchPassesThrough()
    {
        var b = new GraphBuilder("t");
        var x = b.Input("x", DType.Float32, Shape.Of(Dim.Sym("n"), Dim.Of(8), Dim.Of(8), Dim.Of(3)));
        var f = b.Input("f", DType.Float32, Shape.Of(3, 3, 3, 4));
        var y = Conv.MaxPool2D(b, Conv.Conv2D(b, x, f, new[] { 2 }, true, null), new[] { 2 }, null, false);
        Assert.Equal("[n, 2, 2, 4]", y.Shape.ToString());
    }

    [Fact]
    public void ConvolutionMatchesAHandComputedSameExample()
    {
        // x = 1..9 as a 3×3 image; a 2×2 filter [[1, 2], [3, 4]] with SAME padding pads one row and one
        // column after (none before), so y[i, j] = x[i,j] + 2x[i,j+1] + 3x[i+1,j] + 4x[i+1,j+1], zero outside.
        var x = new RefTensor(DType.Float64, new[] { 1, 3, 3, 1 }, Enumerable.Range(1, 9).Select(v => (double)v).ToArray());
        var f = new RefTensor(DType.Float64, new[] { 2, 2, 1, 1 }, new double[] { 1, 2, 3, 4 });
        var y = new Conv2D().Evaluate(new[] { x, f }, Window2D.Attributes(new[] { 1, 1 }, new[] { 1, 1 }, true), new[] { 1, 3, 3, 1 });
        Assert.Equal(new double[] { 37, 47, 21, 67, 77, 33, 23, 26, 9 }, y.Data);
    }

    [Fact]
    public void PoolingIgnoresSamePadding()
    {
        var x = new RefTensor(DType.Float64, new[] { 1, 3, 3, 1 }, new double[] { -1, -2, -3, -4, -5, -6, -7, -8, -9 });
        var attrs = Window2D.Attributes(new[] { 2, 2 }, new[] { 1, 1 }, true, new[] { 2, 2 });
        Assert.Equal(new double[] { -1, -3, -7, -9 }, new MaxPool().Evaluate(new[] { x }, attrs, new[] { 1, 2, 2, 1 }).Data);
        Assert.Equal(new double[] { -3, -4.5, -7.5, -9 }, new AvgPool().Evaluate(new[] { x }, attrs, new[] { 1, 2, 2, 1 }).Data);
    }
}
