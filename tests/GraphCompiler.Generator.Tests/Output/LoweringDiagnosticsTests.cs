using GraphCompiler.Generator.Tests.Harness;

namespace GraphCompiler.Generator.Tests.Output;

/// <summary>A helper shared by several models reports each of its errors once, naming the models.</summary>
public class LoweringDiagnosticsTests
{
    [Fact]
    public void GC0200_InASharedHelper_ReportedOnceWithTheModels()
    {
        var helper = Models.Usings + """
            public static class Layers
            {
                public static Tensor Broken(Tensor x) => MatMul(x, x);
            }
            """;
        var model = (string name) => Models.Usings + $$"""
            [Model]
            public partial class {{name}}
            {
                static Tensor F([Shape(2, 3)] Tensor x) => Layers.Broken(x);
            }
            """;
        var run = GeneratorHarness.Run(("Layers.cs", helper), ("A.cs", model("A")), ("B.cs", model("B")), ("C.cs", model("C")));
        var d = Assert.Single(run.GeneratorDiagnostics, d => d.Id == "GC0200");
        Assert.EndsWith(" (in models A, B, C)", d.GetMessage());
        Assert.Equal("Layers.cs", d.Location.GetLineSpan().Path);
        // Each model's call of the helper is a related location.
        Assert.Equal(new[] { "A.cs", "B.cs", "C.cs" }, d.AdditionalLocations.Select(l => l.GetLineSpan().Path));
        Assert.Empty(run.CSharpProblems);
    }
}
