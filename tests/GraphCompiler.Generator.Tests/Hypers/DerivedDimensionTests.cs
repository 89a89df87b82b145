using GraphCompiler.Compiler.Model;
using GraphCompiler.Generator.Tests.Harness;
using static GraphCompiler.Generator.Tests.Harness.Expect;

namespace GraphCompiler.Generator.Tests.Hypers;

/// <summary>
/// Derived dimensions: integer <c>+ - *</c> of dimension hyperparameters and numbers in a shape is a symbol of
/// its own, computed by the generated class and checked by its constructor; anything else stays GC0115.
/// </summary>
public class DerivedDimensionTests
{
    [Fact]
    public void ADerivedDimensionIsAPrivatePropertyCheckedByTheConstructor()
    {
        var run = GeneratorHarness.Run(InModel("""
            [Hyper] public int Vocab { get; }
            [Hyper] public int Dim { get; }

            Tensor F([Shape("batch", DType = DType.Int32)] Tensor ids)
            {
                var embed = Variable("embed", [Vocab + 1, Dim * 2], Init.Zeros());
                var w = Variable("w", [2 * Dim, Dim - 1], Init.Zeros());
                return MatMul(EmbeddingLookup(embed, ids), w);
            }
            """));
        Assert.Empty(run.Errors);
        Assert.Empty(run.CSharpProblems);
        var code = run.Sources.Single().Value;
        // Derived dimensions take no argument; 2 * Dim is the same symbol as Dim * 2.
        Assert.Contains("public M(int vocab, int dim, ulong seed = 0)", code);
        Assert.Contains("private int Vocab_plus_1 => checked(Vocab + 1);", code);
        Assert.Contains("private int Dim_times_2 => checked(Dim * 2);", code);
        Assert.Contains("private int Dim_minus_1 => checked(Dim - 1);", code);
        Assert.DoesNotContain("2_times", code);
        Assert.Contains("if (Dim_minus_1 < 1) throw new ArgumentException($\"the hyperparameters do not fit the model: the derived dimension (Dim - 1) is {Dim_minus_1}, but a dimension must be positive\");", code);
        Assert.Contains("new int[] { Vocab_plus_1, Dim_times_2 }", code);
        Assert.Contains("int dim_Dim_times_2 = Dim_times_2;", code);
        // The checkpoint record names the declared hyperparameters only.
        Assert.Contains("[@\"Vocab\"] = Vocab.ToString(System.Globalization.CultureInfo.InvariantCulture), [@\"Dim\"] = Dim.ToString(", code);
        Assert.DoesNotContain("[@\"Dim_times_2\"]", code);
    }

    [Fact]
    public void ARelationOfADerivedDimensionIsAConstructorCheck()
    {
        var run = GeneratorHarness.Run(InModel("""
            [Hyper] public int Dim { get; }

            Tensor F([Shape("batch", 8)] Tensor x) => MatMul(x, Variable("w", [Dim * 2, 3], Init.Zeros()));
            """));
        Assert.Empty(run.Errors);
        Assert.Contains("if (Dim_times_2 != 8) throw new ArgumentException($\"the hyperparameters do not fit the model: the matmul of [batch, 8] and [Dim_times_2, 3] (inner dimensions) need Dim_times_2 == 8, but Dim_times_2 is {Dim_times_2}\");", run.Sources.Single().Value);
    }

    [Theory]
    [InlineData("Variable(\"w\", [[|Dim / 2|], 3], Init.Zeros())", "'Dim' is used in the integer operation Divide (a derived dimension is made by +, - and * of dimensions and numbers)")]
    [InlineData("Variable(\"w\", [[|Dim % 3|], 3], Init.Zeros())", "'Dim' is used in the integer operation Remainder")]
    [InlineData("OneHot(ids, [|Dim + 1|])", "'Dim_plus_1' is used as a one-hot depth")]
    public void GC0115_UnsupportedDerivedDimension(string expression, string message)
    {
        var d = Diagnostic(InModel($$"""
            [Hyper] public int Dim { get; }

            Tensor F([Shape("n", DType = DType.Int32)] Tensor ids) => {{expression}};
            """), "GC0115");
        Assert.Contains(message, d.GetMessage());
    }

    [Fact]
    public void TheTextFormKeepsTheExpression()
    {
        var derived = new HyperParameter("Dim_times_2", true, "(Dim * 2)");
        Assert.Equal("hyper int Dim_times_2 = (Dim * 2)", derived.ToText());
        Assert.Equal(derived, HyperParameter.Parse(derived.ToText()));
        Assert.Equal(new HyperParameter("Dim", true), HyperParameter.Parse("hyper int Dim"));
        Assert.False(derived.IsArgument);
    }
}
