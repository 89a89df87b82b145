using static GraphCompiler.Generator.Tests.Harness.Expect;

namespace GraphCompiler.Generator.Tests.Diagnostics;

/// <summary>GC01xx: C# that model code cannot use, each at the smallest piece of code at fault.</summary>
public class UnsupportedDiagnosticTests
{
    [Fact]
    public void GC0100_UnsupportedStatement()
    {
        var d = Diagnostic(InModel("""
            static Tensor F([Shape(2)] Tensor x)
            {
                [|switch|] (x.Shape[0]) { default: break; }
                return x;
            }
            """), "GC0100");
        Assert.Contains("'switch' statements are not supported", d.GetMessage());
    }

    [Fact]
    public void GC0101_WhileLoop()
    {
        var d = Diagnostic(InModel("""
            static Tensor F([Shape(2)] Tensor x)
            {
                int i = 0;
                [|while|] (i < 3) { x = x * 2f; i++; }
                return x;
            }
            """), "GC0101");
        Assert.Contains("'while' loops are not supported", d.GetMessage());
    }

    [Fact]
    public void GC0101_DoLoop()
    {
        var d = Diagnostic(InModel("""
            static Tensor F([Shape(2)] Tensor x)
            {
                int i = 0;
                [|do|] { x = x * 2f; i++; } while (i < 3);
                return x;
            }
            """), "GC0101");
        Assert.Contains("'do' loops", d.GetMessage());
    }

    [Fact]
    public void GC0102_NonConstantLoop()
    {
        var d = Diagnostic(InModel("""
            static Tensor F([Shape("n", 2)] Tensor x)
            {
                for (int i = 0; [|i < x.Shape[0]|]; i++) x = x * 2f;
                return x;
            }
            """), "GC0102");
        Assert.Contains("symbolic dimension 'n'", d.GetMessage());
    }

    [Fact]
    public void GC0103_NonConstantCondition()
    {
        var d = Diagnostic(InModel("""
            static Tensor F([Shape("n", 2)] Tensor x)
            {
                if ([|x.Shape[0] > 10|]) return x * 2f;
                return x;
            }
            """), "GC0103");
        Assert.Contains("not known at compile time", d.GetMessage());
    }

    [Fact]
    public void GC0104_Lambda()
    {
        var d = Diagnostic(InModel("""
            static Tensor F([Shape(2)] Tensor x)
            {
                System.Func<Tensor, Tensor> twice = [|t => t * 2f|];
                return x;
            }
            """), "GC0104");
        Assert.Contains("Lambdas", d.GetMessage());
    }

    [Fact]
    public void GC0105_SymbolicDimension()
    {
        var d = Diagnostic(InModel("""
            static Tensor F([Shape("n", 2)] Tensor x) => Reshape(x, [[|x.Shape[0] * 2|]]);
            """), "GC0105");
        Assert.Contains("Dimension 'n' is symbolic", d.GetMessage());
    }

    [Fact]
    public void GC0106_InstanceState()
    {
        var d = Diagnostic(InModel("""
            static float scale = 2f;
            static Tensor F([Shape(2)] Tensor x) => x * [|scale|];
            """), "GC0106");
        Assert.Contains("'scale' is instance or mutable state", d.GetMessage());
    }

    [Fact]
    public void GC0107_UnknownMethod()
    {
        var d = Diagnostic(InModel("""
            static Tensor F([Shape(2)] Tensor x)
            {
                var name = [|System.Environment.GetEnvironmentVariable("SCOPE")|];
                return x;
            }
            """), "GC0107");
        Assert.Contains("GetEnvironmentVariable", d.GetMessage());
    }

    [Fact]
    public void GC0108_RecursionTooDeep()
    {
        var d = Diagnostic(InModel("""
            static Tensor Deep(Tensor x, int n) => [|Deep(x * 2f, n + 1)|];
            static Tensor F([Shape(2)] Tensor x) => Deep(x, 0);
            """), "GC0108");
        Assert.Contains("exceeds 64 nested calls", d.GetMessage());
    }

    [Fact]
    public void GC0109_UnsupportedExpression()
    {
        var d = Diagnostic(InModel("""
            static Tensor F([Shape(2)] Tensor x)
            {
                var o = [|new object()|];
                return x;
            }
            """), "GC0109");
        Assert.Contains("Creating an object of type 'object'", d.GetMessage());
    }

    [Fact]
    public void GC0109_UnsupportedExpression_NotReportedWhereCSharpReportsAnError()
    {
        // While typing, the C# compiler's own error is the one to show; the model gets its surface only.
        var run = Harness.GeneratorHarness.Run(InModel("""
            static Tensor F([Shape(2)] Tensor x)
            {
                var y = x + ;
                return y;
            }
            """));
        Assert.DoesNotContain(run.Gc, d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error);
        Assert.Contains(run.CompilationDiagnostics, d => d.Id == "CS1525");
        Assert.Contains("public NDArray<float> F(ReadOnlySpan<float> x) => throw", Assert.Single(run.Sources).Value);
    }

    [Fact]
    public void GC0104_Lambda_InLinq()
    {
        // The call that fails is Enumerable.ToArray; the lambda is what to change.
        var d = Diagnostic(InModel("""
            static Tensor F([Shape(2)] Tensor x)
            {
                var ys = new[] { 1f, 2f }.Select([|s => x * s|]).ToArray();
                return ys[0];
            }
            """).Replace("using GraphCompiler;", "using System.Linq;\nusing GraphCompiler;"), "GC0104");
        Assert.StartsWith("Lambdas (and so LINQ) are not supported in model code", d.GetMessage());
    }

    [Fact]
    public void GC0113_MathOnTensor()
    {
        var d = Diagnostic(InModel("""
            static Tensor F([Shape(2)] Tensor x) => [|System.Math.Sqrt(x)|];
            """), "GC0113", csharpError: "CS1503");
        Assert.Equal("Math.Sqrt computes on numbers at build time and cannot take a tensor: use the op Sqrt(x), which works elementwise on tensors", d.GetMessage());
    }

    [Fact]
    public void GC0114_TensorComparison_InIf()
    {
        var d = Diagnostic(InModel("""
            static Tensor F([Shape(2)] Tensor x)
            {
                if ([|x > 0f|]) return x;
                return -x;
            }
            """), "GC0114", csharpError: "CS0019");
        Assert.Equal("'x > 0f' compares a tensor, whose values are known only when the model runs: a branch is chosen at build time, so choose elementwise instead: Where(Greater(x, 0f), whenTrue, whenFalse)", d.GetMessage());
    }

    [Fact]
    public void GC0114_TensorComparison_AsAValue()
    {
        var d = Diagnostic(InModel("""
            static Tensor F([Shape(2)] Tensor x)
            {
                var positive = [|x >= 0f|];
                return x;
            }
            """), "GC0114", csharpError: "CS0019");
        Assert.EndsWith("compare with the op GreaterEqual(x, 0f), which makes a bool tensor", d.GetMessage());
    }

    [Fact]
    public void GC0110_UnrollLimit()
    {
        var d = Diagnostic(InModel("""
            static Tensor F([Shape(2)] Tensor x)
            {
                int k = 0;
                [|for|] (int i = 0; i < 20000; i++) k += i;
                return x;
            }
            """), "GC0110");
        Assert.Contains("more than 10000 iterations", d.GetMessage());
    }

    [Fact]
    public void GC0111_NotATensor()
    {
        var d = Diagnostic(InModel("""
            static Tensor F([Shape(2)] Tensor x)
            {
                var parts = new Tensor[2];
                parts[0] = x;
                return Square([|parts[1]|]);
            }
            """), "GC0111");
        Assert.Contains("not a tensor (null or unassigned)", d.GetMessage());
    }

    [Fact]
    public void GC0112_EvaluationError()
    {
        var d = Diagnostic(InModel("""
            static Tensor F([Shape(2)] Tensor x)
            {
                int[] sizes = [1, 2];
                return Reshape(x, [[|sizes[2]|]]);
            }
            """), "GC0112");
        Assert.Contains("index 2 is outside the array of length 2", d.GetMessage());
    }
}
