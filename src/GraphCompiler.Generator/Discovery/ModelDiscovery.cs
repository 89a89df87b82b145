using System.Collections.Immutable;
using System.Text.RegularExpressions;
using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Model;
using GraphCompiler.Generator.Diagnostics;
using GraphCompiler.Generator.Lowering;
using GraphCompiler.Generator.Pipeline;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GraphCompiler.Generator.Discovery;

/// <summary>
/// Finds the entry methods of a [Model] class and checks the class and their signatures. A static
/// method is an entry when it has [Shape] parameters or is marked [Loss] or [Output]; any other
/// static method is a helper, inlined where it is called.
/// </summary>
internal static class ModelDiscovery
{
    private static readonly Regex Symbol = new("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant);

    /// <summary>Checks the class itself; false when no entry can be lowered for it.</summary>
    public static bool CheckClass(INamedTypeSymbol type, TypeDeclarationSyntax syntax, LoweringContext ctx)
    {
        // A class or namespace name that is not yet an identifier (while typing) is the C# compiler's
        // error to report; generating a class without a name would only add errors of its own.
        if (!SyntaxFacts.IsValidIdentifier(type.Name) || (type.ContainingNamespace is { IsGlobalNamespace: false } ns && !ns.ToDisplayString().Split('.').All(SyntaxFacts.IsValidIdentifier)))
            return false;
        var where = LocationInfo.From(syntax.Identifier);
        bool ok = true;
        if (!syntax.Modifiers.Any(SyntaxKind.PartialKeyword))
        {
            ctx.Report(DiagnosticInfo.Create(Descriptors.ModelNotPartial, where, type.Name));
            ok = false;
        }
        if (type.ContainingType is not null || type.IsGenericType || type.IsStatic)
        {
            ctx.Report(DiagnosticInfo.Create(Descriptors.UnsupportedModelClass, where, type.Name));
            ok = false;
        }
        return ok;
    }

    public static List<EntryMethod> FindEntries(INamedTypeSymbol type, TypeDeclarationSyntax syntax, LoweringContext ctx)
    {
        var api = ctx.Api;
        var entries = new List<EntryMethod>();
        IMethodSymbol? loss = null;
        foreach (var method in type.GetMembers().OfType<IMethodSymbol>().Where(m => m.MethodKind == MethodKind.Ordinary))
        {
            ctx.CancellationToken.ThrowIfCancellationRequested();
            bool isLoss = api.HasAttribute(method, api.LossAttribute);
            bool marked = isLoss || api.HasAttribute(method, api.OutputAttribute);
            bool shaped = method.Parameters.Any(p => api.HasAttribute(p, api.ShapeAttribute));
            if (!marked && !shaped) continue;
            var name = NameLocation(method);
            if (!method.IsStatic && ctx.Hypers.Count == 0)
            {
                ctx.Report(DiagnosticInfo.Create(Descriptors.NonStaticModelMethod, name, method.Name));
                continue;
            }
            bool ok = true;
            if (method.IsGenericMethod)
            {
                ctx.Report(DiagnosticInfo.Create(Descriptors.GenericEntry, name, method.Name));
                ok = false;
            }
            if (!method.ReturnsVoid && !api.IsTensor(method.ReturnType) && !api.IsTensorTuple(method.ReturnType))
            {
                ctx.Report(DiagnosticInfo.Create(Descriptors.BadReturnType, ReturnTypeLocation(method) ?? name, method.Name, method.ReturnType.ToDisplayString()));
                ok = false;
            }
            else if (isLoss && !api.IsTensor(method.ReturnType))
            {
                ctx.Report(DiagnosticInfo.Create(Descriptors.LossNotTensor, ReturnTypeLocation(method) ?? name, method.Name));
                ok = false;
            }
            if (isLoss)
            {
                if (loss is not null)
                {
                    ctx.Report(DiagnosticInfo.Create(Descriptors.MultipleLoss, name, type.Name, loss.Name));
                    ok = false;
                }
                else loss = method;
            }
            var parameters = new List<(IParameterSymbol, ModelParameter)>();
            foreach (var p in method.Parameters)
            {
                var shape = api.GetAttribute(p, api.ShapeAttribute);
                if (shape is null || !api.IsTensor(p.Type) || p.RefKind != RefKind.None)
                {
                    ctx.Report(DiagnosticInfo.Create(Descriptors.UnshapedParameter, ParameterLocation(p) ?? name, p.Name, method.Name));
                    ok = false;
                    continue;
                }
                var parameter = ReadShape(p, shape, ctx);
                if (parameter is null) ok = false;
                else parameters.Add((p, parameter));
            }
            if (ok && method.Parameters.Select(p => p.Name).Distinct().Count() < method.Parameters.Length)
            {
                // Two parameters of one name are the C# compiler's error (CS0100) alone: generated members would repeat it.
                ctx.FailSilently();
                continue;
            }
            if (ok && type.GetMembers(method.Name).Any(m => m is not IMethodSymbol))
            {
                // A property or field of the entry's name ([Hyper] int Units and a method Units) is the C# compiler's
                // error (CS0102) alone: the generated method of that name would repeat it.
                ctx.FailSilently();
                continue;
            }
            if (ok && entries.Any(e => e.Method.Name == method.Name))
            {
                // Generated methods, state and kernels are named after the entry, so an overload would
                // clash; a duplicate declaration is the C# compiler's error (CS0111) alone.
                if (!ctx.HasCSharpError(name)) ctx.Report(DiagnosticInfo.Create(Descriptors.OverloadedEntry, name, method.Name));
                continue;
            }
            if (ok) entries.Add(new EntryMethod(method, isLoss, parameters));
        }
        if (entries.Count == 0 && !ctx.HasErrors)
            ctx.Report(DiagnosticInfo.Create(Descriptors.NoEntryPoints, LocationInfo.From(syntax.Identifier), type.Name));
        return entries;
    }

    /// <summary>
    /// Reads the <c>[Hyper]</c> properties into <see cref="LoweringContext.Hypers"/>, in declaration order:
    /// instance auto-properties of type int (dimensions) or float (values), which the generated
    /// constructor assigns. Anything else is GC0013 at the property.
    /// </summary>
    public static void FindHypers(INamedTypeSymbol type, LoweringContext ctx)
    {
        foreach (var property in type.GetMembers().OfType<IPropertySymbol>())
        {
            if (!ctx.Api.HasAttribute(property, ctx.Api.HyperAttribute)) continue;
            var syntax = property.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(ctx.CancellationToken) as PropertyDeclarationSyntax;
            var where = syntax is null ? LocationInfo.From(property.Locations[0]) : LocationInfo.From(syntax.Identifier);
            bool auto = syntax?.AccessorList is { } accessors && accessors.Accessors.All(a => a.Body is null && a.ExpressionBody is null) && syntax.Initializer is null
                && accessors.Accessors.Any(a => a.IsKind(SyntaxKind.GetAccessorDeclaration));
            string? problem = property.IsStatic ? "is static"
                : property.IsIndexer ? "is an indexer"
                : property.Type.SpecialType is not (SpecialType.System_Int32 or SpecialType.System_Single) ? $"has type '{property.Type.ToDisplayString()}'"
                : !auto ? "is not an automatic property without an initializer ({ get; })"
                : null;
            if (problem is not null)
            {
                ctx.Report(DiagnosticInfo.Create(Descriptors.BadHyper, where, property.Name, problem));
                continue;
            }
            ctx.Hypers.Add(new HyperParameter(property.Name, property.Type.SpecialType == SpecialType.System_Int32));
        }
    }

    /// <summary>Reads <c>[Shape(dims...)]</c>: ints are static sizes, identifier strings symbolic ones.</summary>
    private static ModelParameter? ReadShape(IParameterSymbol parameter, AttributeData attribute, LoweringContext ctx)
    {
        var syntax = attribute.ApplicationSyntaxReference?.GetSyntax(ctx.CancellationToken) as AttributeSyntax;
        var positional = syntax?.ArgumentList?.Arguments.Where(a => a.NameEquals is null).ToList() ?? new List<AttributeArgumentSyntax>();
        var single = attribute.ConstructorArguments.Length == 1 ? attribute.ConstructorArguments[0] : default;
        if (single.Kind == TypedConstantKind.Array && single.IsNull)
        {
            // [Shape(null)] passes a null params array: the way a TensorFlow user writes [None].
            ctx.Report(DiagnosticInfo.Create(Descriptors.BadShapeArgument, LocationInfo.From((SyntaxNode?)syntax ?? throw new InvalidOperationException("[Shape] has no syntax")), "1", NoneHint));
            return null;
        }
        var values = single.Kind == TypedConstantKind.Array ? single.Values : attribute.ConstructorArguments;
        LocationInfo Where(int i) => LocationInfo.From(i < positional.Count && positional.Count == values.Length ? positional[i] : (SyntaxNode?)syntax ?? throw new InvalidOperationException("[Shape] has no syntax"));
        var dims = new List<Dim>();
        bool ok = true;
        for (int i = 0; i < values.Length; i++)
        {
            string? problem = (values[i].Kind == TypedConstantKind.Array ? values[i].Values : (object?)values[i].Value) switch
            {
                int size when size >= 0 => null,
                int size => $"the size {size} is negative",
                string s when Symbol.IsMatch(s) => null,
                string s => $"\"{s}\" is not an identifier",
                null => NoneHint,
                ImmutableArray<TypedConstant> => "an array is not a dimension (list the dimensions themselves)",
                var other => $"{other} is a {values[i].Type?.ToDisplayString()}",
            };
            if (problem is not null)
            {
                ctx.Report(DiagnosticInfo.Create(Descriptors.BadShapeArgument, Where(i), (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), problem));
                ok = false;
                continue;
            }
            dims.Add(values[i].Value is int n ? Dim.Of(n) : Dim.Sym((string)values[i].Value!));
        }
        var dtypeArgument = attribute.NamedArguments.FirstOrDefault(a => a.Key == "DType").Value;
        var dtype = dtypeArgument.Value is int d ? (DType)d : DType.Float32;
        if (!Enum.IsDefined(typeof(DType), dtype))
        {
            var named = syntax?.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.Text == "DType");
            ctx.Report(DiagnosticInfo.Create(Descriptors.BadShapeDType, LocationInfo.From((SyntaxNode?)named?.Expression ?? syntax!), dtypeArgument.Value?.ToString() ?? "null", parameter.Name));
            ok = false;
        }
        if (!ok) return null;
        var shape = new Shape(dims);
        if (TensorLimits.TooLarge(shape) is { } count)
        {
            ctx.Report(DiagnosticInfo.Create(Descriptors.TensorTooLarge, LocationInfo.From((SyntaxNode?)syntax ?? throw new InvalidOperationException("[Shape] has no syntax")),
                $"Placeholder '{parameter.Name}'", shape.ToString(), TensorLimits.Format(count), TensorLimits.Format(TensorLimits.MaxElements)));
            return null;
        }
        return new ModelParameter(parameter.Name, dtype, shape);
    }

    /// <summary>A null dimension: TensorFlow's None, which is a named symbolic dimension here.</summary>
    private const string NoneHint = "null (TensorFlow's None) is not a dimension here: name an unknown size, e.g. [Shape(\"batch\", 784)], and the size is bound at each call";

    public static LocationInfo NameLocation(IMethodSymbol method) =>
        method.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax() is MethodDeclarationSyntax m
            ? LocationInfo.From(m.Identifier)
            : LocationInfo.From(method.Locations[0]);

    private static LocationInfo? ReturnTypeLocation(IMethodSymbol method) =>
        method.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax() is MethodDeclarationSyntax m ? LocationInfo.From(m.ReturnType) : null;

    private static LocationInfo? ParameterLocation(IParameterSymbol parameter) =>
        parameter.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax() is ParameterSyntax p ? LocationInfo.From(p.Identifier) : null;
}
