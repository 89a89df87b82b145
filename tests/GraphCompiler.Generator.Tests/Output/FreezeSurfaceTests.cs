using GraphCompiler.Compiler.Emit;
using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Model;
using GraphCompiler.Generator.Tests.Harness;

namespace GraphCompiler.Generator.Tests.Output;

/// <summary>
/// A freezable model with an unrelated build error keeps <c>Freeze</c>, <c>Unfreeze</c>, <c>FrozenScopes</c> and
/// <c>FreezableScopes</c> on its surface, so the fine-tuning code that calls them still compiles and the
/// model's own error is the only one.
/// </summary>
public class FreezeSurfaceTests
{
    private const string Source = Models.Usings + """
        [Model(Optimizer = Optimizer.Adam, Freezable = new[] { "body", "head" })]
        public partial class M
        {
            static Tensor Dense(Tensor x, int inputs, int units, string scope)
            {
                using var _ = VariableScope(scope);
                return MatMul(x, GetVariable("kernel", [inputs, units], Init.RandomNormal()));
            }

            [Loss]
            static Tensor Loss([Shape("n", 4)] Tensor x, [Shape("n", 3)] Tensor y) =>
                ReduceMean(Square(Dense(Tanh(Dense(x, 4, 5, "body")), 4, 3, "head") - y));
        }

        public static class FineTuning
        {
            public static int Run(M model)
            {
                model.Freeze("body");
                model.Unfreeze();
                return model.FrozenScopes.Count + M.FreezableScopes.Count;
            }
        }
        """;

    [Fact]
    public void FreezeMembersStayOnTheSurfaceOfAModelWithBuildErrors()
    {
        var run = GeneratorHarness.Run(Source);
        // The head's [n, 5]·[4, 3] product is the model's one error.
        var error = Assert.Single(run.Gc, d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error);
        Assert.Equal("GC0200", error.Id);
        Assert.Empty(run.CSharpProblems);
        var code = run.Sources.Single().Value;
        Assert.Contains("public static System.Collections.Generic.IReadOnlyList<string> FreezableScopes { get; } = new string[] { @\"body\", @\"head\" };", code);
        Assert.Contains("public void Freeze(params string[] scopes) => throw new InvalidOperationException(", code);
        Assert.Contains("public void Unfreeze(params string[] scopes) => throw new InvalidOperationException(", code);
    }

    [Fact]
    public void AModelWithoutFreezableScopesHasNoFreezeMembersOnItsSurface()
    {
        var run = GeneratorHarness.Run(Source.Replace(", Freezable = new[] { \"body\", \"head\" }", "").Replace("model.Freeze(\"body\");\n        model.Unfreeze();\n        return model.FrozenScopes.Count + M.FreezableScopes.Count;", "return 0;"));
        Assert.Single(run.Gc, d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error);
        Assert.DoesNotContain("Freeze", run.Sources.Single().Value);
    }

    [Fact]
    public void TheSurfaceTextKeepsTheFreezableScopes()
    {
        var surface = new ModelSurface("N", "M", "public", new List<VariableInfo>(), new List<EntrySignature>(), freezable: new[] { "body", "encoder/layer_0" });
        Assert.Equal(new[] { "body", "encoder/layer_0" }, ModelSurface.Parse(surface.ToText()).Freezable);
    }
}
