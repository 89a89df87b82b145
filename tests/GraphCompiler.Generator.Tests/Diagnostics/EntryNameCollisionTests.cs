using Microsoft.CodeAnalysis;

namespace GraphCompiler.Generator.Tests.Diagnostics;

/// <summary>An entry method named as another member of the model: the C# compiler's error alone, never repeated in generated code.</summary>
public class EntryNameCollisionTests
{
    [Fact]
    public void AnEntryNamedAsAHyperparameterIsTheCSharpErrorAlone()
    {
        var run = Harness.GeneratorHarness.Run(Harness.Models.Usings + """
            [Model]
            public partial class M
            {
                [Hyper] public int Units { get; }

                [Loss]
                Tensor Units([Shape("batch", "Units")] Tensor y) => ReduceMean(Square(y));
            }
            """);
        Assert.DoesNotContain(run.Gc, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal(new[] { "CS0102" }, run.CSharpProblems.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.Id).Distinct());
        Assert.DoesNotContain(run.CompilationDiagnostics, d => d.Severity == DiagnosticSeverity.Error && (d.Location.SourceTree?.FilePath.EndsWith(".g.cs", StringComparison.Ordinal) ?? false));
    }
}
