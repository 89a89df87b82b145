using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Model;
using GraphCompiler.Generator.Diagnostics;
using GraphCompiler.Generator.Discovery;
using GraphCompiler.Generator.Pipeline;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GraphCompiler.Generator.Lowering;

/// <summary>
/// The generator's transform: a [Model] class → its <see cref="ModelDefinition"/> text, node
/// locations and diagnostics. Entry methods are lowered in declaration order against one shared
/// variable store. Never throws (except for cancellation): an unexpected exception becomes GC0900.
/// </summary>
internal static class ModelLowering
{
    public static ModelSpec Lower(INamedTypeSymbol type, TypeDeclarationSyntax syntax, AttributeData modelAttribute, Compilation compilation, CancellationToken cancellationToken)
    {
        var ns = type.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() : null;
        var hintName = (ns is null ? "" : ns + ".") + type.Name + ".g.cs";
        var classLocation = LocationInfo.From(syntax.Identifier);
        var ctx = new LoweringContext(compilation, cancellationToken);
        string? text = null;
        var sources = new List<NodeSource>();
        var access = type.DeclaredAccessibility == Accessibility.Public ? "public" : "internal";
        bool classOk = false;
        var lowered = new List<(EntryMethod Method, EntryPoint? Entry)>();
        try
        {
            if (classOk = ModelDiscovery.CheckClass(type, syntax, ctx))
            {
                ModelDiscovery.FindHypers(type, ctx);
                var hyperDims = ctx.Hypers.Where(h => h.IsDimension).Select(h => h.Name).ToList();
                var constraints = DimConstraints.Begin(hyperDims);
                try
                {
                    foreach (var e in ModelDiscovery.FindEntries(type, syntax, ctx)) lowered.Add((e, LowerEntry(e, ctx)));
                }
                finally
                {
                    constraints.End();
                }
                // Derived dimensions (Dim * 2) joined the hyperparameters while the entries were lowered.
                hyperDims = ctx.Hypers.Where(h => h.IsDimension).Select(h => h.Name).ToList();
                var entries = lowered.Where(e => e.Entry is not null).Select(e => DimConstraints.Substitute(e.Entry!, constraints.Representatives(hyperDims))).ToList();
                if (!ctx.HasErrors)
                {
                    var optimizer = FreezeSettings.Read(modelAttribute, OptimizerSettings.Read(modelAttribute), type.Name, ctx);
                    var definition = new ModelDefinition(ns, type.Name, access, optimizer, ctx.Variables.All.Select(v => v.Info).ToList(), entries!, ctx.Hypers, constraints.Relations);
                    text = definition.ToText();
                    foreach (var v in ctx.Variables.All)
                        if (v.Info.Source is not null && ctx.Locations.TryGetValue(v.Info.Source, out var created))
                            sources.Add(new NodeSource(null, v.Info.Name, created));
                    foreach (var e in entries)
                        foreach (var node in e!.Graph.Nodes)
                            if (node.Source is not null && ctx.Locations.TryGetValue(node.Source, out var location))
                                sources.Add(new NodeSource(e.Graph.Name, node.Name, location));
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (Exception e)
        {
            ctx.Report(DiagnosticInfo.Create(Descriptors.InternalError, classLocation, type.Name, e.GetType().Name + ": " + e.Message));
            text = null;
        }
        var surface = text is null && classOk ? ModelSurfaceReader.Read(ns, type.Name, access, lowered, FreezeSettings.Declared(modelAttribute, "Freezable"), modelAttribute.NamedArguments.Any(a => a.Key == "GradientSet" && a.Value.Value is true), ctx) : null;
        return new ModelSpec(hintName, type.Name, classLocation, text, sources.ToEquatableArray(), ctx.Diagnostics.ToEquatableArray(), ctx.Anchors.Anchors, surface);
    }

    /// <summary>
    /// Reports the error that stopped an entry: a tensor used as a number gets its own hint (GC0113,
    /// GC0114); any other error at code where the C# compiler already reports one is left to it.
    /// </summary>
    private static void Report(DiagnosticInfo diagnostic, LoweringContext ctx)
    {
        if (diagnostic.Location is not { } location || ctx.NodeAt(location) is not { } node)
        {
            ctx.Report(diagnostic);
            return;
        }
        if (TensorMisuse.Hint(node, ctx) is { } hint) ctx.Report(hint with { AdditionalLocations = diagnostic.AdditionalLocations });
        else if (ctx.HasCSharpError(location)) ctx.FailSilently();
        else ctx.Report(diagnostic);
    }

    private static EntryPoint? LowerEntry(EntryMethod entry, LoweringContext ctx)
    {
        var method = entry.Method;
        try
        {
            var builder = new GraphBuilder(method.Name);
            var inputs = new List<(IParameterSymbol, Node)>();
            foreach (var (symbol, parameter) in entry.Parameters)
            {
                builder.CurrentSource = symbol.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax() is { } p ? ctx.Span(p) : null;
                inputs.Add((symbol, builder.Input(parameter.Name, parameter.DType, parameter.Shape)));
            }
            builder.CurrentSource = null;
            var body = ctx.GetBody(method);
            if (body is null)
            {
                ctx.Report(DiagnosticInfo.Create(Descriptors.UnknownMethod, ModelDiscovery.NameLocation(method), method.ToDisplayString()));
                return null;
            }
            var result = new Evaluator(ctx, builder).RunEntry(inputs, body);
            if (!method.ReturnsVoid)
            {
                switch (result)
                {
                    case TensorValue t:
                        builder.AddOutput("result", t.Node);
                        break;
                    case TupleValue tuple when tuple.Items.All(i => i is TensorValue):
                        for (int i = 0; i < tuple.Items.Length; i++) builder.AddOutput("item" + (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), ((TensorValue)tuple.Items[i]).Node);
                        break;
                    default:
                        ctx.Report(DiagnosticInfo.Create(Descriptors.NotATensor, ModelDiscovery.NameLocation(method), "the method returns " + (result?.Describe() ?? "nothing")));
                        return null;
                }
            }
            return new EntryPoint(method.Name, entry.IsLoss, entry.Parameters.Select(p => p.Parameter).ToList(), builder.Build());
        }
        catch (LoweringException e)
        {
            Report(e.Diagnostic, ctx);
            return null;
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (Exception e)
        {
            ctx.Report(DiagnosticInfo.Create(Descriptors.InternalError, ModelDiscovery.NameLocation(method), method.Name, e.GetType().Name + ": " + e.Message));
            return null;
        }
    }
}
