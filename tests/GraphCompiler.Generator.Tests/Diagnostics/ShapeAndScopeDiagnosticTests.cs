using Microsoft.CodeAnalysis;
using static GraphCompiler.Generator.Tests.Harness.Expect;

namespace GraphCompiler.Generator.Tests.Diagnostics;

/// <summary>GC02xx shapes and dtypes, GC03xx variables and scopes.</summary>
public class ShapeAndScopeDiagnosticTests
{
    [Fact]
    public void GC0200_ShapeError()
    {
        var d = Diagnostic(InModel("""
            static Tensor F([Shape(200, 100)] Tensor x)
            {
                var w = Variable("w", [50, 10], Init.Zeros());
                return [|MatMul(x, w)|];
            }
            """), "GC0200");
        Assert.Contains("matmul: incompatible shapes [200, 100] and [50, 10]", d.GetMessage());
    }

    [Fact]
    public void GC0200_ShapeError_Broadcast()
    {
        var d = Diagnostic(InModel("""
            static Tensor F([Shape(3)] Tensor x, [Shape(4)] Tensor y) => [|x + y|];
            """), "GC0200");
        Assert.Contains("add: incompatible shapes [3] and [4]", d.GetMessage());
    }

    [Fact]
    public void GC0201_VariableShapeNotStatic()
    {
        var d = Diagnostic(InModel("""
            static Tensor F([Shape("n")] Tensor x) => x * Variable("w", [|[x.Shape[0]]|], Init.Zeros());
            """), "GC0201");
        Assert.Contains("dimension 0 is the symbolic size 'n'", d.GetMessage());
    }

    [Fact]
    public void GC0202_InitializerSize()
    {
        var d = Diagnostic(InModel("""
            static Tensor F([Shape(2, 2)] Tensor x) => x * Variable("w", [2, 2], [|Init.Constant([1f, 2f, 3f])|]);
            """), "GC0202");
        Assert.Contains("has 3 values but shape [2, 2] has 4 elements", d.GetMessage());
    }

    [Fact]
    public void GC0300_VariableExists()
    {
        var marked = InModel("""
            static Tensor Layer(Tensor x)
            {
                using var _ = VariableScope("h1");
                return x * GetVariable("weights", [2], Init.Ones());
            }
            static Tensor F([Shape(2)] Tensor x)
            {
                using var _ = VariableScope("net");
                var y = Layer(x);
                return Layer(y);
            }
            """).Replace("return x * GetVariable", "return x * [|GetVariable").Replace("Init.Ones())", "Init.Ones())|]");
        var d = Diagnostic(marked, "GC0300");
        Assert.StartsWith("Variable net/h1/weights already exists, disallowed. Did you mean to set reuse=True in VarScope?", d.GetMessage());
        Assert.Contains("VariableScope(\"h1\", Reuse.Auto)", d.GetMessage());
        // Created and found again by the same line of Layer: the related locations are the two calls.
        Assert.Equal(new[] { "Layer(x)", "Layer(y)" }, Texts(marked, d.AdditionalLocations));
    }

    [Fact]
    public void GC0300_VariableExists_HelperCalledTwiceThroughAnotherHelper()
    {
        // The lecture's two_hidden_layers, called twice without reuse: the chain names every call.
        var marked = InModel("""
            static Tensor Dense(Tensor x, int units, string scope)
            {
                using var _ = VariableScope(scope);
                var w = GetVariable("weights", [x.Shape[1], units], Init.RandomNormal());
                return MatMul(x, w);
            }
            static Tensor TwoHiddenLayers(Tensor x)
            {
                var h1 = Dense(x, 5, "h1");
                return Dense(h1, 5, "h2");
            }
            static Tensor F([Shape(2, 3)] Tensor x)
            {
                var a = TwoHiddenLayers(x);
                var b = TwoHiddenLayers(x);
                return a + b;
            }
            """).Replace("var w = GetVariable(\"weights\", [x.Shape[1], units], Init.RandomNormal());", "var w = [|GetVariable(\"weights\", [x.Shape[1], units], Init.RandomNormal())|];");
        var d = Diagnostic(marked, "GC0300");
        Assert.StartsWith("Variable h1/weights already exists", d.GetMessage());
        Assert.Equal(
            new[] { "Dense(x, 5, \"h1\")", "TwoHiddenLayers(x)", "TwoHiddenLayers(x)" },
            Texts(marked, d.AdditionalLocations));
        // The Dense call inside TwoHiddenLayers (once: both chains share it), then the first and the second call of F.
        var lines = d.AdditionalLocations.Select(l => l.GetLineSpan().StartLinePosition.Line).ToList();
        Assert.Equal(lines[1] + 1, lines[2]);
    }

    [Fact]
    public void GC0300_VariableExists_OutsideAnyScopeNamesNoScope()
    {
        var d = Diagnostic(InModel("""
            static Tensor F([Shape(2)] Tensor x)
            {
                var a = GetVariable("w", [2], Init.Ones());
                return x * a * [|GetVariable("w", [2], Init.Ones())|];
            }
            """), "GC0300");
        Assert.EndsWith("It is created outside any variable scope: wrap the code that creates it in using var _ = VariableScope(\"name\", Reuse.Auto); to create it once and reuse it, or give each variable its own name", d.GetMessage());
        Assert.DoesNotContain("VariableScope(\"scope\"", d.GetMessage());
    }

    [Fact]
    public void GC0200_ShapeError_SparseSoftmaxArgumentsLookSwapped()
    {
        var d = Diagnostic(InModel("""
            static Tensor F([Shape("n", 10)] Tensor logits, [Shape("n", DType = DType.Int32)] Tensor labels) =>
                [|SparseSoftmaxCrossEntropyWithLogits(logits, labels)|];
            """), "GC0200");
        Assert.StartsWith("sparse_softmax_cross_entropy_with_logits: the arguments look swapped", d.GetMessage());
        Assert.Contains("call SparseSoftmaxCrossEntropyWithLogits(labels, logits)", d.GetMessage());
    }

    [Fact]
    public void GC0300_VariableExists_PointsAtFirstCreation()
    {
        var d = Diagnostic(InModel("""
            static Tensor F([Shape(2)] Tensor x)
            {
                var a = GetVariable("w", [2], Init.Ones());
                var b = [|GetVariable("w", [2], Init.Ones())|];
                return x * a * b;
            }
            """), "GC0300");
        var first = Assert.Single(d.AdditionalLocations);
        Assert.Equal(d.Location.GetLineSpan().StartLinePosition.Line - 1, first.GetLineSpan().StartLinePosition.Line);
    }

    [Fact]
    public void GC0301_VariableMissing()
    {
        var d = Diagnostic(InModel("""
            static Tensor F([Shape(2)] Tensor x)
            {
                using var _ = VariableScope("shared", Reuse.True);
                return x * [|GetVariable("w", [2])|];
            }
            """), "GC0301");
        Assert.StartsWith("Variable shared/w does not exist", d.GetMessage());
    }

    [Fact]
    public void GC0302_VariableConflict()
    {
        var d = Diagnostic(InModel("""
            static Tensor F([Shape(2)] Tensor x)
            {
                using var _ = VariableScope("shared", Reuse.Auto);
                var a = GetVariable("w", [2]);
                var b = [|GetVariable("w", [3])|];
                return x * a;
            }
            """), "GC0302");
        Assert.Contains("Trying to share variable shared/w, but specified f32[3] and found f32[2]", d.GetMessage());
        Assert.Single(d.AdditionalLocations);
    }

    [Fact]
    public void GC0303_InvalidName()
    {
        var d = Diagnostic(InModel("""
            static Tensor F([Shape(2)] Tensor x) => x * Variable([|"my weights"|], [2], Init.Ones());
            """), "GC0303");
        Assert.Contains("'my weights' is not a valid variable name", d.GetMessage());
    }

    [Fact]
    public void GC0304_GetVariableInLoop()
    {
        var d = Diagnostic(InModel("""
            static Tensor F([Shape(2)] Tensor x)
            {
                using var _ = VariableScope("rnn");
                for (int t = 0; t < 3; t++)
                    x = x * [|GetVariable("w", [2], Init.Ones())|];
                return x;
            }
            """), "GC0304");
        Assert.Contains("creates rnn/w again", d.GetMessage());
        Assert.Contains("Reuse.Auto", d.GetMessage());
    }

    [Fact]
    public void GC0305_VariableInLoop()
    {
        var d = Diagnostic(InModel("""
            static Tensor F([Shape(2)] Tensor x)
            {
                for (int t = 0; t < 3; t++)
                    x = x * [|Variable("w", [2], Init.Ones())|];
                return x;
            }
            """), "GC0305", DiagnosticSeverity.Warning);
        Assert.Contains("creates a new variable on every iteration (w, w_1", d.GetMessage());
    }

    [Fact]
    public void GC0306_ScopeWithoutUsing()
    {
        var d = Diagnostic(InModel("""
            static Tensor F([Shape(2)] Tensor x)
            {
                var scope = [|NameScope("layer")|];
                return x;
            }
            """), "GC0306");
        Assert.Contains("NameScope(...) must be the resource of a using", d.GetMessage());
    }

    /// <summary>The code at each location, read from the source the markers were removed from.</summary>
    private static IEnumerable<string> Texts(string marked, IEnumerable<Microsoft.CodeAnalysis.Location> locations)
    {
        var source = Parse(marked).Source;
        return locations.Select(l => source.Substring(l.SourceSpan.Start, l.SourceSpan.Length));
    }
}
