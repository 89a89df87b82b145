using System.Globalization;
using GraphCompiler.Compiler.Emit;
using GraphCompiler.Compiler.Model;
using GraphCompiler.Generator.Diagnostics;
using GraphCompiler.Generator.Pipeline;
using Microsoft.CodeAnalysis;

namespace GraphCompiler.Generator.Output;

/// <summary>
/// The generator's compile and report steps. <see cref="Compile"/> runs the compiler stages
/// (<see cref="ModelEmitter"/>) over a lowered model and keeps its diagnostics relative to the
/// model's anchors, plus the model's statistics (GC0500) and the kernel-count warning (GC0510);
/// <see cref="Report"/> reports the lowering and compile diagnostics of every model at absolute
/// locations.
/// </summary>
internal static class ModelOutput
{
    /// <summary>
    /// Above this many kernels a model warns (GC0510): each step of a loop unrolled at build time adds
    /// its own kernels, and the build and the IDE slow down with the size of the generated code.
    /// </summary>
    public const int KernelWarningThreshold = 500;

    public static CompiledModel Compile(CompileInput input, CancellationToken cancellationToken)
    {
        if (input.DefinitionText is null)
            return new CompiledModel(input.HintName, input.SurfaceText is null ? null : Stub(input, () => ModelSurface.Parse(input.SurfaceText), input.LoweringErrorIds), EquatableArray<CompiledDiagnostic>.Empty);
        var diagnostics = new List<CompiledDiagnostic>();
        var dump = input.Dump ? new CompilerDump(input.ClassName) : null;
        EmitResult result;
        ModelDefinition? model = null;
        try
        {
            model = SourceMap.Attach(ModelDefinition.Parse(input.DefinitionText), input.Sources);
            result = ModelEmitter.Emit(model, cancellationToken, dump is null ? null : dump.Add);
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (Exception e)
        {
            diagnostics.Add(Create(Descriptors.EmitFailed, null, input.ClassName, e.GetType().Name + ": " + e.Message));
            return new CompiledModel(input.HintName, model is null ? null : Stub(input, () => ModelSurface.From(model), ErrorIds(diagnostics)), diagnostics.ToEquatableArray());
        }
        foreach (var d in result.Diagnostics)
        {
            var (descriptor, args) = Descriptors.ForCompiler(d.Id, input.ClassName, d.Message);
            diagnostics.Add(Create(descriptor, SourceMap.ToRelative(d.Source, input.Sources), args.Select(a => a.ToString()!).ToArray()));
        }
        // A compiler-stage error (a loss that is not scalar, ...) leaves code that would not compile.
        if (result.Diagnostics.Any(d => d.Severity == Severity.Error))
            return new CompiledModel(input.HintName, Stub(input, () => ModelSurface.From(model), ErrorIds(diagnostics)), diagnostics.ToEquatableArray());
        var stats = result.Stats;
        diagnostics.Add(Create(Descriptors.ModelStats, null, input.ClassName,
            Invariant(stats.Parameters), Invariant(stats.KernelsAfterFusion), Invariant(stats.KernelsBeforeFusion), stats.ArenaBytes, stats.FlopsPerStep));
        if (stats.KernelsAfterFusion > KernelWarningThreshold)
            diagnostics.Add(Create(Descriptors.TooManyKernels, null, input.ClassName, Invariant(stats.KernelsAfterFusion), Invariant(KernelWarningThreshold)));
        return new CompiledModel(input.HintName, result.Source, diagnostics.ToEquatableArray()) { DumpSource = dump?.ToSource() };
    }

    /// <summary>
    /// The model's public surface with throwing bodies, so that code using a model with build errors
    /// still compiles and only the real error shows; null when even the surface cannot be read.
    /// </summary>
    private static string? Stub(CompileInput input, Func<ModelSurface> surface, IEnumerable<string> errorIds)
    {
        var ids = errorIds.Distinct().ToList();
        var reason = $"model {input.ClassName} has build errors: " + (ids.Count == 0 ? "see the C# errors in its code" : "see " + string.Join(", ", ids));
        try
        {
            return SurfaceEmitter.Emit(surface(), reason);
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or KeyNotFoundException or ArgumentException)
        {
            return null;
        }
    }

    private static IEnumerable<string> ErrorIds(IEnumerable<CompiledDiagnostic> diagnostics) =>
        diagnostics.Where(d => Descriptors.ById(d.Id).DefaultSeverity == DiagnosticSeverity.Error).Select(d => d.Id);

    /// <summary>
    /// Reports the diagnostics of every model: lowering's merged across models (<see cref="LoweringDiagnostics"/>:
    /// an error in a helper that several models call is reported once), the compile step's made absolute.
    /// </summary>
    public static void Report(SourceProductionContext spc, IReadOnlyList<ModelSpec> specs, IEnumerable<CompiledModel> compiled)
    {
        foreach (var d in LoweringDiagnostics.Merge(specs)) spc.ReportDiagnostic(d);
        var byHint = compiled.GroupBy(c => c.HintName, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        foreach (var spec in specs)
        {
            spc.CancellationToken.ThrowIfCancellationRequested();
            foreach (var d in CompileDiagnostics(spec, byHint.TryGetValue(spec.HintName, out var c) ? c : null)) spc.ReportDiagnostic(d);
        }
    }

    /// <summary>Every diagnostic of one model, at absolute locations, lowering's first.</summary>
    public static IEnumerable<Diagnostic> Diagnose(ModelSpec spec, CompiledModel? compiled) =>
        spec.Diagnostics.Select(d => d.ToDiagnostic()).Concat(CompileDiagnostics(spec, compiled));

    private static IEnumerable<Diagnostic> CompileDiagnostics(ModelSpec spec, CompiledModel? compiled)
    {
        if (compiled is null) yield break;
        foreach (var d in compiled.Diagnostics)
        {
            var location = d.Location is null ? spec.ClassLocation : d.Location.Resolve(spec.Anchors);
            yield return Diagnostic.Create(Descriptors.ById(d.Id), location.ToLocation(), d.Args.Cast<object>().ToArray());
        }
    }

    /// <summary>The generated source (null when there is none) and every diagnostic of one model, as the driver would give them.</summary>
    public static (string? Source, List<Diagnostic> Diagnostics) Produce(ModelSpec spec, CancellationToken cancellationToken = default)
    {
        var compiled = Compile(spec.ToCompileInput(), cancellationToken);
        return (compiled.Source, Diagnose(spec, compiled).ToList());
    }

    private static CompiledDiagnostic Create(DiagnosticDescriptor descriptor, RelativeLocation? location, params string[] args) =>
        new(descriptor.Id, args.ToEquatableArray(), location);

    private static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);
}
