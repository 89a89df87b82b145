using System.Text.RegularExpressions;
using GraphCompiler.Generator.Tests.Harness;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GraphCompiler.Generator.Tests.Output;

/// <summary>
/// The generated code of every sample and test model reads like code a person wrote: fields, arena
/// slots and kernel parameters are named after what they hold, never numbered placeholders, and no
/// kernel body is emitted twice (kernels that read the same share one method).
/// </summary>
public class GeneratedNamesTests
{
    private static readonly Regex Placeholder = new("^(_var[0-9]+|O[0-9]+|in[0-9]+)$", RegexOptions.CultureInvariant);

    [Fact]
    public void NoGeneratedIdentifierIsANumberedPlaceholderAndNoKernelBodyRepeats()
    {
        var problems = new List<string>();
        int files = 0;
        foreach (var (name, source) in ModelSources.All())
        {
            foreach (var (hint, text) in GeneratorHarness.Run(source).Sources)
            {
                if (!hint.EndsWith(".g.cs", StringComparison.Ordinal) || hint.EndsWith(".dump.g.cs", StringComparison.Ordinal)) continue;
                files++;
                var root = CSharpSyntaxTree.ParseText(text, GeneratorHarness.ParseOptions).GetRoot();
                foreach (var id in root.DescendantTokens().Where(t => t.IsKind(SyntaxKind.IdentifierToken)).Select(t => t.ValueText).Distinct())
                    if (Placeholder.IsMatch(id)) problems.Add($"{name} ({hint}): identifier {id}");
                var bodies = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var method in root.DescendantNodes().OfType<MethodDeclarationSyntax>().Where(m => m.Modifiers.Any(SyntaxKind.StaticKeyword) && m.Body is not null))
                {
                    // A kernel split across cores hands its range to a method of its own, which holds the body compared.
                    var self = method.Identifier.ValueText;
                    var body = method.ParameterList + method.Body!.ToString();
                    if (body.Contains("KernelRanges.For", StringComparison.Ordinal)) continue;
                    if (bodies.TryGetValue(body, out var other)) problems.Add($"{name} ({hint}): {self} has the body of {other}");
                    else bodies[body] = self;
                }
            }
        }
        Assert.True(files >= 40, $"only {files} generated model files");
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }
}
