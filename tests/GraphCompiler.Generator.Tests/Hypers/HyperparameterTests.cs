using System.Text.RegularExpressions;
using GraphCompiler.Generator.Tests.Harness;
using static GraphCompiler.Generator.Tests.Harness.Expect;

namespace GraphCompiler.Generator.Tests.Hypers;

/// <summary>
/// [Hyper] properties: dims and values fixed at construction. The generated constructor takes them,
/// entry methods never do, and misuse is a diagnostic at its exact location.
/// </summary>
public class HyperparameterTests
{
    private const string SkipGram = """
        namespace Samples;

        [Model(Optimizer = Optimizer.GradientDescent)]
        public partial class SkipGram
        {
            [Hyper] public int Vocab { get; }
            [Hyper] public int Dim { get; }
            [Hyper] public float Scale { get; }

            [Loss]
            Tensor Loss([Shape("batch", DType = DType.Int32)] Tensor centers, [Shape("batch", "Dim")] Tensor targets)
            {
                var embed = Variable("embed", [Vocab, Dim], Init.RandomUniform(-0.5f / Dim, Scale));
                return ReduceMean(Square(EmbeddingLookup(embed, centers) - targets));
            }
        }
        """;

    [Fact]
    public void TheConstructorTakesTheHyperparametersAndTheEntriesDoNot()
    {
        var run = GeneratorHarness.Run(Models.Usings + SkipGram);
        Assert.Empty(run.Errors);
        var code = run.Sources.Single().Value;
        Assert.Contains("public SkipGram(int vocab, int dim, float scale, ulong seed = 0)", code);
        Assert.Contains("if (vocab < 1) throw new ArgumentOutOfRangeException(nameof(vocab), vocab, \"the hyperparameter Vocab is a dimension and must be positive\");", code);
        Assert.Contains("if (!float.IsFinite(scale)) throw", code);
        // The variable set is built with the bound dims; the initializer's range is evaluated at construction.
        Assert.Contains("new SkipGramVariables(Vocab, Dim)", code);
        Assert.Contains("new int[] { Vocab, Dim }", code);
        Assert.Contains("(-0.5d / (double)Dim), Scale, Seed", code);
        // Dim is bound from the model, not taken from the caller; batch comes from the centers' length.
        var match = Regex.Match(code, @"public float TrainStep\(([^)]*)\)");
        Assert.Equal("ReadOnlySpan<int> centers, ReadOnlySpan<float> targets, float learningRate", match.Groups[1].Value);
        Assert.Contains("int dim_Dim = Dim;", code);
    }

    [Fact]
    public void AModelWithBuildErrorsStillHasTheHyperparameterConstructor()
    {
        var run = GeneratorHarness.Run(Models.Usings + SkipGram.Replace("ReduceMean(", "ReduceMean(centers + "));
        Assert.NotEmpty(run.GeneratorDiagnostics);
        Assert.Contains("public SkipGram(int vocab, int dim, float scale, ulong seed = 0) => throw", run.Sources.Single().Value);
        Assert.DoesNotContain(run.CompilationDiagnostics, d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error && !d.Id.StartsWith("GC", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("[Hyper] public string [|Name|] { get; }", "has type 'string'")]
    [InlineData("[Hyper] public static int [|Width|] { get; }", "is static")]
    [InlineData("[Hyper] public int [|Width|] => 3;", "is not an automatic property")]
    [InlineData("[Hyper] public int [|Width|] { get; } = 3;", "is not an automatic property")]
    public void GC0013_BadHyper(string member, string problem)
    {
        var d = Diagnostic(InModel(member + """

            [Loss] static Tensor Loss([Shape(2)] Tensor x) => ReduceSum(x);
            """), "GC0013");
        Assert.Contains(problem, d.GetMessage());
    }

    [Theory]
    // A dimension where the op needs a number at build time.
    [InlineData("return OneHot(ids, [|Dim|]);", "'Dim' is used as a one-hot depth")]
    // Integer arithmetic makes a derived dimension, which is no build-time number either.
    [InlineData("return OneHot(ids, [|Dim * 2|]);", "'Dim_times_2' is used as a one-hot depth")]
    public void GC0115_HyperAsConstant(string body, string message)
    {
        var d = Diagnostic(InModel($$"""
            [Hyper] public int Dim { get; }

            Tensor F([Shape("n", DType = DType.Int32)] Tensor ids)
            {
                {{body}}
            }
            """), "GC0115");
        Assert.Contains(message, d.GetMessage());
    }

    [Fact]
    public void GC0005_StillHoldsForAModelWithoutHyperparameters()
    {
        var d = Diagnostic(InModel("""
            [Loss] Tensor [|Loss|]([Shape(2)] Tensor x) => ReduceSum(x);
            """), "GC0005");
        Assert.Contains("only a model with [Hyper] properties may have instance model methods", d.GetMessage());
    }
}

/// <summary>Shape relations involving hyperparameters: checked at construction when a value can satisfy them, build errors when none can.</summary>
public class HyperparameterConstraintTests
{
    [Fact]
    public void ARelationThatDependsOnTheValueBecomesAConstructorCheck()
    {
        var run = GeneratorHarness.Run(InModel("""
            [Hyper] public int Dim { get; }

            Tensor F([Shape("batch", 4)] Tensor x)
            {
                var w = Variable("w", [Dim, 2], Init.Zeros());
                return MatMul(x, w);
            }
            """));
        Assert.Empty(run.Errors);
        var code = run.Sources.Single().Value;
        Assert.Contains("if (Dim != 4) throw new ArgumentException($\"the hyperparameters do not fit the model: the matmul of [batch, 4] and [Dim, 2] (inner dimensions) need Dim == 4, but Dim is {Dim}\");", code);
        // The graph is compiled for the value the check guarantees.
        Assert.Contains("new int[] { 4, 2 }", code);
    }

    [Theory]
    [InlineData("""
        Tensor F([Shape("batch", 4)] Tensor x, [Shape("batch", 5)] Tensor z)
        {
            var w = Variable("w", [Dim, 2], Init.Zeros());
            return MatMul(x, w) + [|MatMul(z, w)|];
        }
        """, "inner dimensions 5 and Dim differ; the hyperparameter Dim must already equal 4")]
    [InlineData("""
        Tensor F([Shape("batch", "n")] Tensor x)
        {
            var w = Variable("w", [Dim, 2], Init.Zeros());
            return [|MatMul(x, w)|];
        }
        """, "a hyperparameter is never related to a dimension known only at call time")]
    [InlineData("""
        Tensor F([Shape("batch", 0)] Tensor x)
        {
            var w = Variable("w", [Dim, 2], Init.Zeros());
            return [|MatMul(x, w)|];
        }
        """, "a dimension hyperparameter is at least 1")]
    public void ARelationNoValueSatisfiesIsABuildError(string method, string message)
    {
        var d = Diagnostic(InModel("[Hyper] public int Dim { get; }\n\n" + method), "GC0200");
        Assert.Contains(message, d.GetMessage());
    }
}
