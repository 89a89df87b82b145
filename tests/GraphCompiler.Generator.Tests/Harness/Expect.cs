using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace GraphCompiler.Generator.Tests.Harness;

/// <summary>
/// Asserts one diagnostic at an exact span, marked in the test source as <c>[|code|]</c>: the
/// markers are removed before compiling and their position gives the expected line, column and length.
/// </summary>
internal static class Expect
{
    /// <summary>Wraps members in a <c>[Model] public partial class M</c> with the API usings.</summary>
    public static string InModel(string members) => Models.Usings + "[Model]\npublic partial class M\n{\n" + members + "\n}\n";

    public static (string Source, TextSpan Span) Parse(string marked)
    {
        int start = marked.IndexOf("[|", StringComparison.Ordinal);
        int end = marked.IndexOf("|]", StringComparison.Ordinal);
        if (start < 0 || end < start) throw new ArgumentException("the source has no [|span|] marker");
        var source = marked.Remove(end, 2).Remove(start, 2);
        return (source, TextSpan.FromBounds(start, end - 2));
    }

    /// <summary>
    /// The one diagnostic <paramref name="id"/> at the marked span. The source must compile, unless
    /// <paramref name="csharpError"/> names the C# error it is meant to have (code being typed).
    /// </summary>
    public static Diagnostic Diagnostic(string marked, string id, DiagnosticSeverity? severity = null, string? csharpError = null)
    {
        var (source, span) = Parse(marked);
        var run = GeneratorHarness.Run(source);
        var csharpErrors = run.CompilationDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error && !d.Id.StartsWith("GC", StringComparison.Ordinal)).Select(d => d.Id).Distinct();
        Assert.Equal(csharpError is null ? Array.Empty<string>() : new[] { csharpError }, csharpErrors);
        var matching = run.GeneratorDiagnostics.Where(d => d.Id == id).ToList();
        Assert.True(matching.Count == 1, $"expected one {id}, got: {string.Join("\n", run.GeneratorDiagnostics)}");
        var d = matching[0];
        var expected = SourceText.From(source).Lines.GetLinePositionSpan(span);
        var actual = d.Location.GetLineSpan().Span;
        Assert.Equal(
            (expected.Start.Line + 1, expected.Start.Character + 1, span.Length),
            (actual.Start.Line + 1, actual.Start.Character + 1, d.Location.SourceSpan.Length));
        Assert.Equal(span, d.Location.SourceSpan);
        if (severity is not null) Assert.Equal(severity, d.Severity);
        return d;
    }
}
