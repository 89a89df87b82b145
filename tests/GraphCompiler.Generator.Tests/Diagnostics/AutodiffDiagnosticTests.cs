using static GraphCompiler.Generator.Tests.Harness.Expect;

namespace GraphCompiler.Generator.Tests.Diagnostics;

/// <summary>GC04xx: differentiation requested by model code.</summary>
public class AutodiffDiagnosticTests
{
    [Fact]
    public void GC0406_NoGradients()
    {
        // The loss reaches w only through an ArgMax cast to float: the train step would change nothing.
        var d = Diagnostic(InModel("""
            [Loss] static Tensor Loss([Shape("n", 3)] Tensor x, [Shape("n")] Tensor y)
            {
                var w = Variable("w", [3, 4], Init.Ones());
                var predicted = Cast([|ArgMax(MatMul(x, w), 1)|], DType.Float32);
                return ReduceMean(Square(predicted - y));
            }
            """), "GC0406");
        Assert.StartsWith("No gradients provided for any variable: the loss 'Loss' depends on the trainable variables (w) only through values that carry no gradient, on the path w -> matmul -> argmax -> cast", d.GetMessage());
        Assert.Contains("the gradient stops at 'argmax' (argmax, i64)", d.GetMessage());
    }

    [Fact]
    public void GC0406_NoGradients_NotReportedWhenOneVariableHasAGradient()
    {
        var run = Harness.GeneratorHarness.Run(InModel("""
            [Loss] static Tensor Loss([Shape("n", 3)] Tensor x, [Shape("n")] Tensor y)
            {
                var w = Variable("w", [3, 4], Init.Ones());
                var b = Variable("b", [1], Init.Zeros());
                return ReduceMean(Square(Cast(ArgMax(MatMul(x, w), 1), DType.Float32) + b - y));
            }
            """));
        Assert.Empty(run.Errors);
    }

    [Fact]
    public void GC0410_NoGradientOnPath()
    {
        var d = Diagnostic(InModel("""
            static Tensor F([Shape(3)] Tensor x)
            {
                var index = ArgMax(x * 2f, 0);
                return [|Gradients([index], [x])|][0];
            }
            """), "GC0410");
        Assert.Contains("Op 'argmax' (argmax) has no gradient", d.GetMessage());
        Assert.Contains("on the path x -> mul -> argmax", d.GetMessage());
    }

    [Fact]
    public void GC0410_NoGradientOnPath_NotReportedWhenTheBoolOnlyFeedsAWhereCondition()
    {
        var g = Harness.Lowered.Entry("""
            static Tensor F([Shape(3)] Tensor x)
            {
                var y = Where(Greater(x, 0f), x, x * 0.1f);
                return Gradients([ReduceSum(y)], [x])[0];
            }
            """);
        Assert.Equal("[3]", g.Output("result").Shape.ToString());
    }
}
