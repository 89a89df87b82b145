using GraphCompiler.Generator.Tests.Harness;
using static GraphCompiler.Generator.Tests.Harness.Lowered;

namespace GraphCompiler.Generator.Tests.Lowering;

/// <summary>Convolutions lower for the dtypes their kernels are compiled for.</summary>
public class ConvolutionLoweringTests
{
    [Fact]
    public void GC0260_AFloat64ConvolutionIsReportedAtTheCall()
    {
        var d = Expect.Diagnostic(Expect.InModel("""
            static Tensor F([Shape(1, 5, 5, 2, DType = DType.Float64)] Tensor x, [Shape(3, 3, 2, 4, DType = DType.Float64)] Tensor f) =>
                [|Conv2D(x, f, padding: Padding.Same)|];
            """), "GC0260");
        var message = d.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains("f64[1, 5, 5, 2]", message);
        Assert.Contains("Cast", message);
    }

    [Fact]
    public void Float64PoolingStillLowers()
    {
        var g = Entry("""
            static Tensor F([Shape(1, 5, 5, 2, DType = DType.Float64)] Tensor x) => MaxPool2D(x, [2, 2]);
            """);
        Assert.Equal(Compiler.IR.DType.Float64, g.Result().DType);
    }
}
