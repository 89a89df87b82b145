using GraphCompiler.Generator.Diagnostics;
using Microsoft.CodeAnalysis;

namespace GraphCompiler.Generator.Pipeline;

/// <summary>
/// A diagnostic as plain data (ID, message arguments, locations), reported in the output step.
/// The additional locations point at related code, e.g. where a clashing variable was first created.
/// <see cref="ScopeToFix"/> is the <c>VariableScope(...)</c> call a code fix may set to <c>Reuse.Auto</c>;
/// it travels as the diagnostic properties named in <see cref="FixProperties"/>.
/// </summary>
internal sealed record DiagnosticInfo(string Id, EquatableArray<string> Args, LocationInfo? Location, EquatableArray<LocationInfo> AdditionalLocations, LocationInfo? ScopeToFix = null)
{
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, LocationInfo? location, params string[] args) =>
        new(descriptor.Id, args.ToEquatableArray(), location, EquatableArray<LocationInfo>.Empty);

    /// <summary>Adds related locations, each once and never the diagnostic's own location.</summary>
    public DiagnosticInfo WithAdditional(params LocationInfo?[] related) => WithAdditional((IEnumerable<LocationInfo?>)related);

    public DiagnosticInfo WithAdditional(IEnumerable<LocationInfo?> related)
    {
        var all = AdditionalLocations.ToList();
        foreach (var r in related)
            if (r is not null && r != Location && !all.Contains(r)) all.Add(r);
        return all.Count == AdditionalLocations.Count ? this : this with { AdditionalLocations = all.ToEquatableArray() };
    }

    public Diagnostic ToDiagnostic() =>
        Diagnostic.Create(
            Descriptors.ById(Id),
            Location?.ToLocation() ?? Microsoft.CodeAnalysis.Location.None,
            AdditionalLocations.Select(l => l.ToLocation()),
            ScopeToFix is null ? null : FixProperties.For(ScopeToFix),
            Args.Cast<object>().ToArray());
}
