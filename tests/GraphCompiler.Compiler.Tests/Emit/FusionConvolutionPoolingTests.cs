using GraphCompiler.Compiler.Backends.Cpu;
using GraphCompiler.Compiler.Backends.Ilgpu;
using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Kernels;
using GraphCompiler.Compiler.Ops;
using GraphCompiler.Compiler.Ops.Composites;
using GraphCompiler.Compiler.Passes;

namespace GraphCompiler.Compiler.Tests.Emit;

/// <summary>
/// A pooling after a convolution layer joins the convolution's kernel on the CPU: the pooled value is the
/// kernel's result, and the convolution's own output is stored only when something else reads it.
/// </summary>
public class FusionConvolutionPoolingTests
{
    /// <summary>pool(relu(conv2d(x, f) + b)) over an odd image; <paramref name="keepActivation"/> also outputs the relu.</summary>
    private static Graph ConvReluPool(bool max, bool keepActivation)
    {
        var b = new GraphBuilder("Forward");
        var x = b.Input("x", DType.Float32, Shape.Of(Dim.Sym("n"), 7, 9, 2));
        var f = b.Variable(new VariableInfo("kernel", DType.Float32, Shape.Of(3, 3, 2, 4), InitSpec.Zeros, true));
        var bias = b.Variable(new VariableInfo("bias", DType.Float32, Shape.Of(4), InitSpec.Zeros, true));
        var h = MathComposites.Relu(b, b.Add(Convolution.Conv2D(b, x, f, null, same: true, null), bias));
        var pooled = max ? Convolution.MaxPool2D(b, h, [3, 3], [2, 2], same: false) : Convolution.AvgPool2D(b, h, [2, 2], [3, 3], same: true);
        b.AddOutput("result", pooled);
        if (keepActivation) b.AddOutput("activation", h);
        return b.Build();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ThePoolingJoinsTheConvolutionAndItsOutputIsNotStored(bool max)
    {
        var compiled = PassPipeline.Compile(ConvReluPool(max, keepActivation: false), CpuCapabilities.Instance, training: false);
        var conv = Assert.Single(compiled.Descriptions.OfType<ConvolutionCall>());
        Assert.NotNull(conv.Bias);
        Assert.True(conv.Relu);
        Assert.Equal(max ? "max_pool" : "avg_pool", conv.Pool?.OpName);
        Assert.Same(conv.Pool, Assert.Single(conv.Outputs));
        Assert.Null(conv.Unpooled);
        Assert.Equal(max ? (3, 4, 2, 2) : (3, 3, 3, 3), (conv.PoolGeometry!.OH, conv.PoolGeometry.OW, conv.PoolGeometry.SH, conv.PoolGeometry.SW));
    }

    [Fact]
    public void AConvolutionOutputReadElsewhereIsStoredAsWell()
    {
        var compiled = PassPipeline.Compile(ConvReluPool(max: true, keepActivation: true), CpuCapabilities.Instance, training: false);
        var conv = Assert.Single(compiled.Descriptions.OfType<ConvolutionCall>());
        Assert.NotNull(conv.Pool);
        Assert.Equal(2, conv.Outputs.Count);
        Assert.Equal("relu", conv.Unpooled?.OpName);
    }

    [Fact]
    public void TheReluMaskAfterAMaxPoolingGradientJoinsItsScatter()
    {
        var b = new GraphBuilder("Backward");
        var y = MathComposites.Relu(b, b.Input("x", DType.Float32, Shape.Of(2, 5, 7, 3)));
        var attrs = Convolution.MaxPool2D(b, y, [2, 2], [2, 2], same: true).Attrs;
        var grad = b.Apply("max_pool_grad", new[] { y, b.Input("dy", DType.Float32, Shape.Of(2, 3, 4, 3)) }, attrs);
        b.AddOutput("dx", b.Apply("relu_grad", new[] { grad, y }));
        var compiled = PassPipeline.Compile(b.Build(), CpuCapabilities.Instance, training: true);

        var scatter = Assert.Single(compiled.Descriptions.OfType<ConvolutionCall>());
        Assert.Equal(WindowRoutine.MaxPoolGradient, scatter.Routine);
        Assert.True(scatter.ReluMask);
        Assert.Equal("relu_grad", Assert.Single(scatter.Outputs).OpName);
        Assert.DoesNotContain(compiled.Kernels.Where(k => k.IsFused), k => k.Members.Any(m => m.Op is ReluGrad));
    }

    [Fact]
    public void ABackEndThatCannotPoolInTheStoreKeepsThePoolingApart()
    {
        var compiled = PassPipeline.Compile(ConvReluPool(max: true, keepActivation: false), IlgpuCapabilities.Instance, training: false);
        Assert.All(compiled.Descriptions.OfType<ConvolutionCall>(), c => Assert.Null(c.Pool));
        Assert.Contains(compiled.Descriptions.OfType<ConvolutionCall>(), c => c.Routine == WindowRoutine.MaxPool);
    }
}
