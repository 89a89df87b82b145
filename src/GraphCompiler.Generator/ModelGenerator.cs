using GraphCompiler.Generator.Lowering;
using GraphCompiler.Generator.Output;
using GraphCompiler.Generator.Pipeline;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GraphCompiler.Generator;

/// <summary>
/// The GraphCompiler source generator: every <c>[Model]</c> class is lowered to a static graph at
/// build time (<see cref="ModelLowering"/>) and compiled to C# (<see cref="ModelOutput"/>).
/// Lowering reads the semantic model, so Roslyn runs it again after any edit; every step after it
/// carries only equatable data without absolute positions, so an edit that does not change a
/// model's lowered form compiles and emits nothing, and one that only moves it re-reports its
/// diagnostics and nothing else.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class ModelGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var models = context.SyntaxProvider.ForAttributeWithMetadataName(
                "GraphCompiler.ModelAttribute",
                predicate: static (node, _) => node is ClassDeclarationSyntax,
                transform: static (ctx, ct) => ModelLowering.Lower((INamedTypeSymbol)ctx.TargetSymbol, (TypeDeclarationSyntax)ctx.TargetNode, ctx.Attributes[0], ctx.SemanticModel.Compilation, ct))
            .WithTrackingName(TrackingNames.Lower);
        var dump = context.AnalyzerConfigOptionsProvider
            .Select(static (options, _) => CompilerDump.Requested(options.GlobalOptions.TryGetValue(CompilerDump.BuildProperty, out var value) ? value : null));
        var compiled = models
            .Combine(dump)
            .Select(static (pair, _) => pair.Left.ToCompileInput() with { Dump = pair.Right }).WithTrackingName(TrackingNames.CompileInput)
            .Select(static (input, ct) => ModelOutput.Compile(input, ct)).WithTrackingName(TrackingNames.Compile);
        var files = compiled
            .Where(static c => c.Source is not null)
            .Select(static (c, _) => new GeneratedFile(c.HintName, c.Source!)).WithTrackingName(TrackingNames.Source);
        context.RegisterSourceOutput(files, static (spc, file) => spc.AddSource(file.HintName, Microsoft.CodeAnalysis.Text.SourceText.From(file.Text, System.Text.Encoding.UTF8)));
        var dumps = compiled
            .Where(static c => c.DumpSource is not null)
            .Select(static (c, _) => new GeneratedFile(CompilerDump.HintName(c.HintName), c.DumpSource!));
        context.RegisterSourceOutput(dumps, static (spc, file) => spc.AddSource(file.HintName, Microsoft.CodeAnalysis.Text.SourceText.From(file.Text, System.Text.Encoding.UTF8)));
        // Lowering diagnostics are reported together, so that an error in a helper shared by several models
        // is reported once; the compile step's are made absolute at the same time.
        context.RegisterSourceOutput(models.Collect().Combine(compiled.Collect()), static (spc, all) => ModelOutput.Report(spc, all.Left, all.Right));
    }
}
