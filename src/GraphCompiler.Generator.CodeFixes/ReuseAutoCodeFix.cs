using System.Collections.Immutable;
using System.Composition;
using System.Globalization;
using GraphCompiler.Generator.Pipeline;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Text;

namespace GraphCompiler.Generator.CodeFixes;

/// <summary>
/// For a variable created twice without reuse (GC0300, GC0304) or reused while missing (GC0301):
/// opens the enclosing variable scope with <c>Reuse.Auto</c> (TensorFlow's <c>AUTO_REUSE</c>), which
/// creates the variable on first use and shares it afterwards. The scope may be in another file (a
/// helper); the diagnostic names it in its properties.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ReuseAutoCodeFix)), Shared]
public sealed class ReuseAutoCodeFix : CodeFixProvider
{
    public const string Title = "Open the variable scope with Reuse.Auto";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create("GC0300", "GC0301", "GC0304");

    public override FixAllProvider? GetFixAllProvider() => null;

    public override Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            if (!TryReadScope(diagnostic, out var file, out var span)) continue;
            var solution = context.Document.Project.Solution;
            var document = context.Document.FilePath == file
                ? context.Document
                : solution.GetDocumentIdsWithFilePath(file).Select(solution.GetDocument).FirstOrDefault(d => d is not null);
            if (document is null) continue;
            context.RegisterCodeFix(
                CodeAction.Create(Title, ct => FixAsync(document, span, ct), equivalenceKey: nameof(ReuseAutoCodeFix)),
                diagnostic);
        }
        return Task.CompletedTask;
    }

    private static async Task<Solution> FixAsync(Document document, TextSpan span, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var fixedRoot = root is null ? null : ReuseAutoRewriter.SetReuseAuto(root, span);
        return fixedRoot is null ? document.Project.Solution : document.WithSyntaxRoot(fixedRoot).Project.Solution;
    }

    /// <summary>Reads the scope call the generator attached to a diagnostic.</summary>
    public static bool TryReadScope(Diagnostic diagnostic, out string file, out TextSpan span)
    {
        file = "";
        span = default;
        var p = diagnostic.Properties;
        if (!p.TryGetValue(FixProperties.ScopeFile, out var f) || f is null
            || !p.TryGetValue(FixProperties.ScopeStart, out var s) || !int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var start)
            || !p.TryGetValue(FixProperties.ScopeLength, out var l) || !int.TryParse(l, NumberStyles.Integer, CultureInfo.InvariantCulture, out var length))
            return false;
        file = f;
        span = new TextSpan(start, length);
        return true;
    }
}
