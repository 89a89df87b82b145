using System.Collections.Immutable;
using GraphCompiler.Tests.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace GraphCompiler.Generator.Benchmarks;

/// <summary>
/// One sample program as the C# compiler sees it before the generator runs: its source files (not
/// obj/ or bin/) parsed, against the framework, the GraphCompiler API and its runtime.
/// </summary>
internal sealed class SampleCompilation
{
    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
    {
        var frameworkDir = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        return ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => string.Equals(Path.GetDirectoryName(p), frameworkDir, StringComparison.OrdinalIgnoreCase))
            .Append(typeof(Tensor).Assembly.Location)
            .Append(typeof(Runtime.IModel).Assembly.Location)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToImmutableArray();
    });

    public SampleCompilation(string sample)
    {
        var folder = Path.Combine(RepositoryRoot.Path, "samples", sample);
        Trees = Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Where(f => !IsBuildOutput(folder, f))
            .OrderBy(f => f, StringComparer.Ordinal)
            .Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), ParseOptions, f))
            .ToImmutableArray();
        ModelTree = Trees.First(t => t.GetText().ToString().Contains("[Model", StringComparison.Ordinal));
        UnrelatedTree = Trees.First(t => !t.GetText().ToString().Contains("[Model", StringComparison.Ordinal));
        ModelCount = Trees.Sum(t => t.GetRoot().DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.AttributeSyntax>().Count(a => a.Name.ToString() is "Model" or "GraphCompiler.Model"));
    }

    public ImmutableArray<SyntaxTree> Trees { get; }

    /// <summary>A file declaring a model, and one declaring none (the "unrelated" file of an edit).</summary>
    public SyntaxTree ModelTree { get; }

    public SyntaxTree UnrelatedTree { get; }

    public int ModelCount { get; }

    /// <summary>
    /// A fresh compilation of the trees (nothing of them bound yet) that shares the references,
    /// already bound, with every other compilation of this sample, as the IDE's compilations do:
    /// what is measured is then the work on the sample's own code.
    /// </summary>
    public CSharpCompilation Create(IEnumerable<SyntaxTree>? trees = null) =>
        (CSharpCompilation)_references.Value.AddSyntaxTrees(trees ?? Trees);

    private readonly Lazy<CSharpCompilation> _references = new(() =>
    {
        var empty = CSharpCompilation.Create(
            "Sample",
            Array.Empty<SyntaxTree>(),
            References.Value,
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));
        _ = empty.GetTypeByMetadataName("GraphCompiler.Tensor") ?? throw new InvalidOperationException("GraphCompiler.Tensor is not referenced");
        return empty;
    });

    /// <summary>The trees with one of them edited: a comment line added at its top.</summary>
    public ImmutableArray<SyntaxTree> WithCommentAbove(SyntaxTree tree) =>
        Trees.Replace(tree, tree.WithChangedText(tree.GetText().WithChanges(new Microsoft.CodeAnalysis.Text.TextChange(new Microsoft.CodeAnalysis.Text.TextSpan(0, 0), "// edited\n"))));

    public static GeneratorDriver Driver(bool track = false) =>
        CSharpGeneratorDriver.Create(
            new[] { new ModelGenerator().AsSourceGenerator() },
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: track));

    private static bool IsBuildOutput(string folder, string file)
    {
        var relative = Path.GetRelativePath(folder, file).Replace('\\', '/');
        return relative.StartsWith("obj/", StringComparison.Ordinal) || relative.StartsWith("bin/", StringComparison.Ordinal);
    }
}
