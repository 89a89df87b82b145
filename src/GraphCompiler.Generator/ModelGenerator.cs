using GraphCompiler.Generator.Lowering;
using GraphCompiler.Generator.Output;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GraphCompiler.Generator;

/// <summary>
/// The GraphCompiler source generator: every <c>[Model]</c> class is lowered to a static graph at
/// build time (<see cref="ModelLowering"/>) and compiled to C# (<see cref="ModelOutput"/>).
/// The pipeline between the two steps carries only equatable data, so an edit that does not change
/// a model's lowered form regenerates nothing.
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
        context.RegisterSourceOutput(models, static (spc, spec) => ModelOutput.Emit(spc, spec));
        // Lowering diagnostics are reported together, so a helper shared by several models reports once.
        context.RegisterSourceOutput(models.Collect(), static (spc, specs) => LoweringDiagnostics.Report(spc, specs));
    }
}
