using System.Globalization;
using GraphCompiler.Compiler.Emit;
using GraphCompiler.Compiler.Model;
using GraphCompiler.Generator.Diagnostics;
using GraphCompiler.Generator.Pipeline;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace GraphCompiler.Generator.Output;

/// <summary>
/// The generator's output step: compiles the model through the
/// compiler stages (<see cref="ModelEmitter"/>), adds <c>Namespace.Class.g.cs</c>, and reports the
/// compiler's diagnostics at their source locations plus the model's statistics (GC0500).
/// </summary>
internal static class ModelOutput
{
    public static void Emit(SourceProductionContext spc, ModelSpec spec)
    {
        var (source, diagnostics) = Produce(spec);
        // The lowering diagnostics are reported for all models at once (LoweringDiagnostics).
        foreach (var d in diagnostics.Skip(spec.Diagnostics.Count)) spc.ReportDiagnostic(d);
        if (source is not null) spc.AddSource(spec.HintName, SourceText.From(source, System.Text.Encoding.UTF8));
    }

    /// <summary>The generated source (null when there is none) and every diagnostic of one model, the lowering diagnostics first.</summary>
    public static (string? Source, List<Diagnostic> Diagnostics) Produce(ModelSpec spec)
    {
        var diagnostics = spec.Diagnostics.Select(d => d.ToDiagnostic()).ToList();
        if (spec.DefinitionText is null)
            return (spec.SurfaceText is null ? null : Stub(spec, () => ModelSurface.Parse(spec.SurfaceText), diagnostics), diagnostics);
        EmitResult result;
        ModelDefinition? model = null;
        try
        {
            model = SourceMap.Attach(ModelDefinition.Parse(spec.DefinitionText), spec.Sources);
            result = ModelEmitter.Emit(model);
        }
        catch (Exception e)
        {
            diagnostics.Add(Diagnostic.Create(Descriptors.EmitFailed, spec.ClassLocation.ToLocation(), spec.ClassName, e.GetType().Name + ": " + e.Message));
            return (model is null ? null : Stub(spec, () => ModelSurface.From(model), diagnostics), diagnostics);
        }
        var locations = new Dictionary<(string, int, int), LocationInfo>();
        foreach (var s in spec.Sources) locations[(s.Location.FilePath, s.Location.Span.Start, s.Location.Span.Length)] = s.Location;
        foreach (var d in result.Diagnostics)
        {
            var location = d.Source is null ? spec.ClassLocation.ToLocation()
                : locations.TryGetValue((d.Source.FilePath, d.Source.Start, d.Source.Length), out var known) ? known.ToLocation()
                : Location.Create(d.Source.FilePath, new TextSpan(d.Source.Start, d.Source.Length),
                    new LinePositionSpan(new LinePosition(d.Source.Line - 1, d.Source.Column - 1), new LinePosition(d.Source.Line - 1, d.Source.Column - 1 + d.Source.Length)));
            // A compiler-stage ID with a descriptor of its own gets it (title, category); others a generic one.
            var descriptor = Descriptors.ByIdTable.TryGetValue(d.Id, out var own) ? own : Descriptors.ForCompiler(d.Id, ToSeverity(d.Severity));
            diagnostics.Add(Diagnostic.Create(descriptor, location, d.Message));
        }
        // A compiler-stage error (a loss that is not scalar, ...) leaves code that would not compile.
        if (result.Diagnostics.Any(d => d.Severity == Severity.Error)) return (Stub(spec, () => ModelSurface.From(model), diagnostics), diagnostics);
        var stats = result.Stats;
        diagnostics.Add(Diagnostic.Create(Descriptors.ModelStats, spec.ClassLocation.ToLocation(), spec.ClassName,
            stats.Parameters.ToString(CultureInfo.InvariantCulture), stats.KernelsAfterFusion.ToString(CultureInfo.InvariantCulture),
            stats.KernelsBeforeFusion.ToString(CultureInfo.InvariantCulture), stats.ArenaBytes, stats.FlopsPerStep));
        return (result.Source, diagnostics);
    }

    /// <summary>
    /// The model's public surface with throwing bodies, so that code using a model with build errors
    /// still compiles and only the real error shows; null when even the surface cannot be read.
    /// </summary>
    private static string? Stub(ModelSpec spec, Func<ModelSurface> surface, IEnumerable<Diagnostic> diagnostics)
    {
        var ids = diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.Id).Distinct().ToList();
        var reason = $"model {spec.ClassName} has build errors: " + (ids.Count == 0 ? "see the C# errors in its code" : "see " + string.Join(", ", ids));
        try
        {
            return SurfaceEmitter.Emit(surface(), reason);
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or KeyNotFoundException or ArgumentException)
        {
            return null;
        }
    }

    private static DiagnosticSeverity ToSeverity(Severity s) => s switch
    {
        Severity.Error => DiagnosticSeverity.Error,
        Severity.Warning => DiagnosticSeverity.Warning,
        _ => DiagnosticSeverity.Info,
    };
}
