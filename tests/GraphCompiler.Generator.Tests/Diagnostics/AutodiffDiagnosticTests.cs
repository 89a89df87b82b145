using static GraphCompiler.Generator.Tests.Harness.Expect;

namespace GraphCompiler.Generator.Tests.Diagnostics;

/// <summary>GC04xx: differentiation requested by model code.</summary>
public class AutodiffDiagnosticTests
{
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
