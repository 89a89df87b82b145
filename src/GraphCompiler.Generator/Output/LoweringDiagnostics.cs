using System.Collections.Immutable;
using GraphCompiler.Generator.Diagnostics;
using GraphCompiler.Generator.Pipeline;
using Microsoft.CodeAnalysis;

namespace GraphCompiler.Generator.Output;

/// <summary>
/// Reports the lowering diagnostics of all models in one step. An error inside a helper that
/// several models call is lowered once per model; it is reported once, with the models named and
/// the related locations of every model (the calls that led there) together.
/// </summary>
internal static class LoweringDiagnostics
{
    public static void Report(SourceProductionContext spc, ImmutableArray<ModelSpec> specs)
    {
        foreach (var d in Merge(specs)) spc.ReportDiagnostic(d);
    }

    public static IEnumerable<Diagnostic> Merge(IEnumerable<ModelSpec> specs)
    {
        var groups = new Dictionary<(string, EquatableArray<string>, LocationInfo?), (DiagnosticInfo Info, List<string> Models)>();
        var order = new List<(string, EquatableArray<string>, LocationInfo?)>();
        foreach (var spec in specs)
            foreach (var d in spec.Diagnostics)
            {
                var key = (d.Id, d.Args, d.Location);
                if (groups.TryGetValue(key, out var group))
                {
                    if (!group.Models.Contains(spec.ClassName)) group.Models.Add(spec.ClassName);
                    groups[key] = (group.Info.WithAdditional(d.AdditionalLocations), group.Models);
                    continue;
                }
                groups[key] = (d, new List<string> { spec.ClassName });
                order.Add(key);
            }
        foreach (var key in order)
        {
            var (info, models) = groups[key];
            var diagnostic = info.ToDiagnostic();
            if (models.Count == 1)
            {
                yield return diagnostic;
                continue;
            }
            var message = diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture) + $" (in models {string.Join(", ", models)})";
            yield return Diagnostic.Create(Descriptors.WithMessage(diagnostic.Descriptor), diagnostic.Location, diagnostic.AdditionalLocations, diagnostic.Properties, message);
        }
    }
}
