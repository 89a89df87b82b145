using System.Collections.Immutable;
using GraphCompiler.Generator.Pipeline;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace GraphCompiler.Generator.Tests.Harness;

/// <summary>What one generator run produced.</summary>
internal sealed record GeneratorRun(
    ImmutableArray<Diagnostic> GeneratorDiagnostics,
    ImmutableArray<Diagnostic> CompilationDiagnostics,
    IReadOnlyDictionary<string, string> Sources,
    IReadOnlyList<ModelSpec> Specs,
    GeneratorDriverRunResult Result)
{
    /// <summary>The diagnostics with an ID of the generator (GCxxxx), in order of position.</summary>
    public IReadOnlyList<Diagnostic> Gc => GeneratorDiagnostics.Where(d => d.Id.StartsWith("GC", StringComparison.Ordinal))
        .OrderBy(d => d.Location.SourceSpan.Start).ToList();

    public IReadOnlyList<Diagnostic> Errors => GeneratorDiagnostics.Concat(CompilationDiagnostics).Where(d => d.Severity == DiagnosticSeverity.Error).ToList();

    /// <summary>
    /// Errors and warnings of the C# compiler (not the generator) anywhere, generated files included:
    /// a model with build errors must leave only its own GC diagnostics, and generated code must
    /// compile without warnings, which are errors in a project with warnings-as-errors.
    /// </summary>
    public IReadOnlyList<Diagnostic> CSharpProblems => CompilationDiagnostics
        .Where(d => d.Severity >= DiagnosticSeverity.Warning && !d.Id.StartsWith("GC", StringComparison.Ordinal)).ToList();

    /// <summary>The lowered model text of the only model.</summary>
    public string ModelText => Specs.Single().DefinitionText ?? throw new InvalidOperationException(
        "lowering reported errors: " + string.Join("\n", GeneratorDiagnostics.Select(d => d.ToString())));
}

/// <summary>
/// Compiles model source against the GraphCompiler API and runtime and the framework, runs the
/// generator through <see cref="CSharpGeneratorDriver"/> with step tracking, and collects the result.
/// </summary>
internal static class GeneratorHarness
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
    {
        var frameworkDir = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => string.Equals(Path.GetDirectoryName(p), frameworkDir, StringComparison.OrdinalIgnoreCase));
        return platform
            .Append(typeof(GraphCompiler.Tensor).Assembly.Location)
            .Append(typeof(GraphCompiler.Runtime.IModel).Assembly.Location)
            // The generated device path is written against ILGPU and ILGPU.Algorithms (XMath).
            .Append(typeof(ILGPU.ArrayView<>).Assembly.Location)
            .Append(typeof(ILGPU.Algorithms.XMath).Assembly.Location)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToImmutableArray();
    });

    public static CSharpCompilation Compile(params (string Path, string Source)[] files) =>
        CSharpCompilation.Create(
            "TestModels",
            files.Select(f => CSharpSyntaxTree.ParseText(f.Source, ParseOptions, f.Path)),
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    public static GeneratorDriver CreateDriver() =>
        CSharpGeneratorDriver.Create(
            new[] { new ModelGenerator().AsSourceGenerator() },
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    public static GeneratorRun Run(string source) => Run(("Model.cs", source));

    public static GeneratorRun Run(params (string Path, string Source)[] files)
    {
        var compilation = Compile(files);
        var driver = CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        return Collect(driver, output, generatorDiagnostics);
    }

    public static GeneratorRun Collect(GeneratorDriver driver, Compilation output, ImmutableArray<Diagnostic> generatorDiagnostics)
    {
        var result = driver.GetRunResult();
        var generator = result.Results.Single();
        if (generator.Exception is not null) throw new InvalidOperationException("the generator threw", generator.Exception);
        var sources = generator.GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString());
        var specs = generator.TrackedSteps.TryGetValue(TrackingNames.Lower, out var steps)
            ? steps.SelectMany(s => s.Outputs).Select(o => (ModelSpec)o.Value).ToList()
            : new List<ModelSpec>();
        return new GeneratorRun(generatorDiagnostics, output.GetDiagnostics(), sources, specs, result);
    }
}
