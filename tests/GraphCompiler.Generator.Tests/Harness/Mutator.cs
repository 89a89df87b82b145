using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace GraphCompiler.Generator.Tests.Harness;

/// <summary>
/// Seeded mutations of model source, as a user's typing makes them: a token deleted, doubled or
/// swapped with its neighbour, a number or string replaced by an awkward one (negative, huge, a
/// member name of the generated code, TensorFlow's None), an identifier replaced by another of the
/// file, a line deleted or doubled. Mutations stay inside the class bodies, where model code is.
/// </summary>
internal static class Mutator
{
    private static readonly string[] Numbers = { "0", "-1", "1", "3", "100000", "1500000000", "2147483647", "0.5f", "null" };

    private static readonly string[] Strings = { "\"\"", "\"a b\"", "\"count\"", "\"get_enumerator\"", "\"block\"", "\"x\"", "\"n\"", "null", "\"m_variables\"" };

    /// <summary>The mutant and what was done, for the failure message.</summary>
    public static (string Source, string Description) Mutate(string source, Random random)
    {
        var root = CSharpSyntaxTree.ParseText(source, GeneratorHarness.ParseOptions).GetRoot();
        var tokens = root.DescendantTokens().Where(t => t.Parent?.FirstAncestorOrSelf<Microsoft.CodeAnalysis.CSharp.Syntax.ClassDeclarationSyntax>() is not null).ToList();
        var identifiers = tokens.Where(t => t.IsKind(SyntaxKind.IdentifierToken)).Select(t => t.Text).Distinct().ToList();
        var token = tokens[random.Next(tokens.Count)];
        int kind = random.Next(8);
        switch (kind)
        {
            case 0:
                return (Replace(source, token, ""), $"delete '{token.Text}' at {token.SpanStart}");
            case 1:
                return (Replace(source, token, token.Text + " " + token.Text), $"double '{token.Text}' at {token.SpanStart}");
            case 2:
            {
                var next = token.GetNextToken();
                if (next.IsKind(SyntaxKind.None)) goto case 0;
                var swapped = source.Substring(0, token.SpanStart) + next.Text + source.Substring(token.Span.End, next.SpanStart - token.Span.End) + token.Text + source.Substring(next.Span.End);
                return (swapped, $"swap '{token.Text}' and '{next.Text}' at {token.SpanStart}");
            }
            case 3:
                return ReplaceLiteral(source, tokens, SyntaxKind.NumericLiteralToken, Numbers, random) ?? Mutate(source, random);
            case 4:
                return ReplaceLiteral(source, tokens, SyntaxKind.StringLiteralToken, Strings, random) ?? Mutate(source, random);
            case 5:
            {
                var ids = tokens.Where(t => t.IsKind(SyntaxKind.IdentifierToken)).ToList();
                var id = ids[random.Next(ids.Count)];
                var with = identifiers[random.Next(identifiers.Count)];
                return (Replace(source, id, with), $"identifier '{id.Text}' at {id.SpanStart} -> {with}");
            }
            default:
            {
                var lines = source.Split('\n').ToList();
                var line = source.Substring(0, token.SpanStart).Count(c => c == '\n');
                if (kind == 6) lines.RemoveAt(line);
                else lines.Insert(line, lines[line]);
                return (string.Join("\n", lines), $"{(kind == 6 ? "delete" : "double")} line {line + 1}");
            }
        }
    }

    /// <summary>One literal of <paramref name="kind"/> replaced by one of <paramref name="choices"/>; null when there is none.</summary>
    private static (string, string)? ReplaceLiteral(string source, List<SyntaxToken> tokens, SyntaxKind kind, string[] choices, Random random)
    {
        var literals = tokens.Where(t => t.IsKind(kind)).ToList();
        if (literals.Count == 0) return null;
        var literal = literals[random.Next(literals.Count)];
        var with = choices[random.Next(choices.Length)];
        return (Replace(source, literal, with), $"literal {literal.Text} at {literal.SpanStart} -> {with}");
    }

    private static string Replace(string source, SyntaxToken token, string with) =>
        source.Substring(0, token.SpanStart) + with + source.Substring(token.Span.End);
}
