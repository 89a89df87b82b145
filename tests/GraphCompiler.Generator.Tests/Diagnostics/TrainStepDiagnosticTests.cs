using GraphCompiler.Generator.Output;
using GraphCompiler.Generator.Tests.Harness;
using Microsoft.CodeAnalysis;
using static GraphCompiler.Generator.Tests.Harness.Expect;

namespace GraphCompiler.Generator.Tests.Diagnostics;

/// <summary>
/// GC0400–GC0405, raised by the compiler stages while they build the train step, each with its own
/// descriptor; and GC0510, the build report's warning for a model with too many kernels.
/// </summary>
public class TrainStepDiagnosticTests
{
    [Fact]
    public void GC0400_NoGradientOnTrainingPath()
    {
        var d = Diagnostic(InModel("""
            [Loss] static Tensor Loss([Shape(3)] Tensor x) => [|ArgMax(x * Variable("w", [3], Init.Ones()), 0)|];
            """), "GC0400");
        Assert.Contains("op 'argmax' (argmax) has no gradient", d.GetMessage());
        Assert.Equal("No gradient on the training path", d.Descriptor.Title.ToString());
    }

    [Fact]
    public void GC0401_LossNotScalar()
    {
        var d = Diagnostic(InModel("""
            [Loss] static Tensor Loss([Shape(2)] Tensor x) => [|x * Variable("w", [2], Init.Ones())|];
            """), "GC0401");
        Assert.Contains("the loss must be a scalar, but 'Loss' returns a tensor of shape [2]", d.GetMessage());
    }

    [Fact]
    public void GC0402_LossWithoutVariables()
    {
        var d = Diagnostic(InModel("""
            [Loss] static Tensor Loss([Shape(2)] Tensor x) => [|ReduceSum(x)|];
            """), "GC0402");
        Assert.Contains("depends on no trainable variable", d.GetMessage());
    }

    [Fact]
    public void GC0403_TrainableNotFloat32()
    {
        var d = Diagnostic(InModel("""
            [Loss] static Tensor Loss([Shape(2)] Tensor x) => ReduceSum(x * Cast([|Variable("w", [2], Init.Ones(), dtype: DType.Int32)|], DType.Float32));
            """), "GC0403");
        Assert.Contains("variable 'w' is i32", d.GetMessage());
    }

    [Fact]
    public void GC0404_UnsupportedOptimizer()
    {
        var d = Diagnostic(Models.Usings + """
            [Model(Optimizer = (Optimizer)77)]
            public partial class [|M|]
            {
                [Loss] static Tensor Loss([Shape(2)] Tensor x) => ReduceSum(x * Variable("w", [2], Init.Ones()));
            }
            """, "GC0404");
        Assert.Contains("optimizer 'optimizer_77' is not supported", d.GetMessage());
    }

    [Fact]
    public void GC0405_InvalidSchedule()
    {
        var d = Diagnostic(Models.Usings + """
            [Model(Schedule = LearningRateDecay.PiecewiseConstant, Boundaries = [100], Values = [0.1f])]
            public partial class M
            {
                [Loss] static Tensor Loss([|[Shape(2)] Tensor x|]) => ReduceSum(x * Variable("w", [2], Init.Ones()));
            }
            """, "GC0405");
        Assert.Contains("got 1 boundaries and 1 values", d.GetMessage());
    }

    [Fact]
    public void GC0510_TooManyKernels()
    {
        // Each matmul is a kernel of its own, so unrolling more of them than the threshold warns.
        var d = Diagnostic(Models.Usings + $$"""
            [Model]
            public partial class [|Deep|]
            {
                [Output] static Tensor Forward([Shape(2, 2)] Tensor x)
                {
                    var w = Variable("w", [2, 2], Init.Ones());
                    for (int i = 0; i < {{ModelOutput.KernelWarningThreshold + 1}}; i++) x = MatMul(x, w);
                    return x;
                }
            }
            """, "GC0510", DiagnosticSeverity.Warning);
        Assert.Matches(@"^Model Deep compiles to \d+ kernels, more than 500: ", d.GetMessage());
    }

    [Fact]
    public void GC0510_TooManyKernels_NotReportedForASmallModel()
    {
        var run = GeneratorHarness.Run(Models.TwoLayerMlp);
        Assert.Contains(run.GeneratorDiagnostics, d => d.Id == "GC0500");
        Assert.DoesNotContain(run.GeneratorDiagnostics, d => d.Id == "GC0510");
    }
}
