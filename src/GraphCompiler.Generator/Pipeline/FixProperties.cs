using System.Collections.Immutable;
using System.Globalization;

namespace GraphCompiler.Generator.Pipeline;

/// <summary>
/// Diagnostic properties naming the <c>VariableScope(...)</c> call that a code fix can open with
/// <c>Reuse.Auto</c> (file path, start and length of the call). The scope may be in another file than
/// the diagnostic, e.g. in the helper that opened it.
/// </summary>
public static class FixProperties
{
    public const string ScopeFile = "GraphCompiler.ScopeFile";
    public const string ScopeStart = "GraphCompiler.ScopeStart";
    public const string ScopeLength = "GraphCompiler.ScopeLength";

    internal static ImmutableDictionary<string, string?> For(LocationInfo scope) =>
        ImmutableDictionary<string, string?>.Empty
            .Add(ScopeFile, scope.FilePath)
            .Add(ScopeStart, scope.Span.Start.ToString(CultureInfo.InvariantCulture))
            .Add(ScopeLength, scope.Span.Length.ToString(CultureInfo.InvariantCulture));
}
