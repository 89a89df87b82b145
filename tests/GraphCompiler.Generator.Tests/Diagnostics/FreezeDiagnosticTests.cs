using GraphCompiler.Generator.Tests.Harness;
using static GraphCompiler.Generator.Tests.Harness.Expect;

namespace GraphCompiler.Generator.Tests.Diagnostics;

/// <summary>GC0350 and GC0351: [Model(Frozen/Freezable = ...)] naming nothing, or too much.</summary>
public class FreezeDiagnosticTests
{
    private static string Model(string settings) => Models.Usings + $$"""
        [Model({{settings}})]
        public partial class M
        {
            [Loss]
            static Tensor Loss([Shape(2)] Tensor x)
            {
                using var _ = VariableScope("body");
                return ReduceSum(x * GetVariable("w", [2], Init.Ones()) * Variable("v", [2], Init.Ones()));
            }
        }
        """;

    [Fact]
    public void GC0350_FrozenScopeMatchesNoVariable()
    {
        var d = Diagnostic(Model("""Frozen = new[] { "body", [|"bodi"|] }"""), "GC0350");
        Assert.Equal("'bodi' in [Model(Frozen = ...)] matches no variable of model 'M': name a variable's full name or a variable scope; the model's top-level scopes and variables are 'body'", d.GetMessage());
    }

    [Fact]
    public void GC0350_FreezableScopeMustNameWholeScopeSegments()
    {
        // "bod" is a prefix of "body" as text, not as a scope.
        var d = Diagnostic(Model("""Freezable = new[] { [|"bod"|] }"""), "GC0350");
        Assert.Contains("'bod' in [Model(Freezable = ...)] matches no variable", d.GetMessage());
    }

    [Fact]
    public void GC0351_TooManyFreezableScopes()
    {
        var d = Diagnostic(Models.Usings + """
            [Model([|Freezable = new[] { "a", "b", "c", "d", "e" }|])]
            public partial class M
            {
                [Loss]
                static Tensor Loss([Shape(2)] Tensor x) =>
                    ReduceSum(x * Variable("a", [2], Init.Ones()) * Variable("b", [2], Init.Ones()) * Variable("c", [2], Init.Ones())
                        * Variable("d", [2], Init.Ones()) * Variable("e", [2], Init.Ones()));
            }
            """, "GC0351");
        Assert.Contains("names 5 scopes, but at most 4 can be freezable", d.GetMessage());
    }
}
