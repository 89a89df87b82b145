using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Simplification;
using Microsoft.CodeAnalysis.Text;

namespace GraphCompiler.Generator.CodeFixes;

/// <summary>
/// Rewrites the <c>VariableScope(name[, reuse])</c> call at a span so that it opens the scope with
/// <c>Reuse.Auto</c>: the reuse argument is replaced, or added when absent.
/// </summary>
public static class ReuseAutoRewriter
{
    /// <summary>The new root, or null when no invocation is at <paramref name="span"/>.</summary>
    public static SyntaxNode? SetReuseAuto(SyntaxNode root, TextSpan span)
    {
        var call = root.FindNode(span, getInnermostNodeForTie: true).FirstAncestorOrSelf<InvocationExpressionSyntax>();
        if (call is null) return null;
        // Fully qualified so the fix compiles without a using; the simplifier shortens it where it can.
        var auto = SyntaxFactory.ParseExpression("global::GraphCompiler.Reuse.Auto").WithAdditionalAnnotations(Simplifier.Annotation);
        var args = call.ArgumentList.Arguments;
        var reuse = args.FirstOrDefault(a => a.NameColon?.Name.Identifier.ValueText == "reuse")
                    ?? (args.Count >= 2 && args[1].NameColon is null ? args[1] : null);
        ArgumentListSyntax list;
        if (reuse is not null)
            list = call.ArgumentList.ReplaceNode(reuse, reuse.WithExpression(auto.WithTriviaFrom(reuse.Expression)));
        else if (args.Any(a => a.NameColon is not null))
            list = call.ArgumentList.AddArguments(SyntaxFactory.Argument(SyntaxFactory.NameColon("reuse"), default, auto.WithLeadingTrivia(SyntaxFactory.Space)).WithLeadingTrivia(SyntaxFactory.Space));
        else
            list = call.ArgumentList.AddArguments(SyntaxFactory.Argument(auto).WithLeadingTrivia(SyntaxFactory.Space));
        return root.ReplaceNode(call, call.WithArgumentList(list));
    }
}
