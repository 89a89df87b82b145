using GraphCompiler.Compiler.Passes;
using GraphCompiler.Compiler.Passes.Optimizers;
using GraphCompiler.Generator.Diagnostics;
using GraphCompiler.Generator.Pipeline;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GraphCompiler.Generator.Lowering;

/// <summary>
/// Reads <c>[Model(Frozen = ..., Freezable = ...)]</c> into the optimizer settings (<see cref="FreezeSets"/>),
/// once the model's variables are known: a name that matches no variable is GC0350 at that string, and is
/// left out; more freezable scopes than <see cref="FreezeSets.MaxFreezable"/> is GC0351.
/// </summary>
internal static class FreezeSettings
{
    public static string Read(AttributeData attribute, string optimizer, string modelName, LoweringContext ctx)
    {
        var spec = OptimizerSpec.Parse(optimizer);
        var variables = ctx.Variables.All.Select(v => v.Info.Name).ToList();
        var frozen = Names(attribute, "Frozen", modelName, variables, ctx);
        if (frozen.Count > 0) spec = spec.With(FreezeSets.FrozenKey, FreezeSets.Join(frozen));
        var freezable = Names(attribute, "Freezable", modelName, variables, ctx);
        if (freezable.Count > FreezeSets.MaxFreezable)
        {
            ctx.Report(DiagnosticInfo.Create(Descriptors.TooManyFreezableScopes, Argument(attribute, "Freezable", ctx),
                freezable.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), FreezeSets.MaxFreezable.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            freezable = new List<string>();
        }
        if (freezable.Count > 0) spec = spec.With(FreezeSets.FreezableKey, FreezeSets.Join(freezable));
        return spec.ToString();
    }

    /// <summary>
    /// The distinct names one setting lists, normalised, unchecked: the surface of a model with build errors keeps
    /// <c>Freeze</c>/<c>Unfreeze</c> for them, since its variables may be known only in part.
    /// </summary>
    public static IReadOnlyList<string> Declared(AttributeData attribute, string setting)
    {
        var arg = attribute.NamedArguments.FirstOrDefault(a => a.Key == setting).Value;
        if (arg.Kind != TypedConstantKind.Array || arg.IsNull) return Array.Empty<string>();
        return arg.Values.Select(v => FreezeSets.Normalize(v.Value as string ?? "")).Where(n => n.Length > 0).Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>The distinct names of one setting that match a variable, normalised (no trailing <c>/</c>).</summary>
    private static List<string> Names(AttributeData attribute, string setting, string modelName, List<string> variables, LoweringContext ctx)
    {
        var arg = attribute.NamedArguments.FirstOrDefault(a => a.Key == setting).Value;
        if (arg.Kind != TypedConstantKind.Array || arg.IsNull) return new List<string>();
        var result = new List<string>();
        foreach (var raw in arg.Values.Select(v => v.Value as string ?? ""))
        {
            var name = FreezeSets.Normalize(raw);
            if (variables.Any(v => FreezeSets.Matches(name, v)))
            {
                if (!result.Contains(name)) result.Add(name);
                continue;
            }
            var topLevel = variables.Select(v => v.Split('/')[0]).Distinct(StringComparer.Ordinal);
            ctx.Report(DiagnosticInfo.Create(Descriptors.FrozenScopeMatchesNothing, Element(attribute, setting, raw, ctx),
                raw, setting, modelName, string.Join(", ", topLevel.Select(t => "'" + t + "'"))));
        }
        return result;
    }

    private static AttributeArgumentSyntax? ArgumentSyntax(AttributeData attribute, string setting, LoweringContext ctx) =>
        (attribute.ApplicationSyntaxReference?.GetSyntax(ctx.CancellationToken) as AttributeSyntax)?.ArgumentList?.Arguments
            .FirstOrDefault(a => a.NameEquals?.Name.Identifier.Text == setting);

    private static LocationInfo? Argument(AttributeData attribute, string setting, LoweringContext ctx) =>
        ArgumentSyntax(attribute, setting, ctx) is { } a ? LocationInfo.From(a) : null;

    /// <summary>The string literal of <paramref name="value"/> in the setting, or the whole argument when it is not a literal.</summary>
    private static LocationInfo? Element(AttributeData attribute, string setting, string value, LoweringContext ctx)
    {
        if (ArgumentSyntax(attribute, setting, ctx) is not { } a) return null;
        var literal = a.Expression.DescendantNodesAndSelf().OfType<LiteralExpressionSyntax>().FirstOrDefault(l => l.Token.ValueText == value);
        return LocationInfo.From((SyntaxNode?)literal ?? a);
    }
}
