using Microsoft.CodeAnalysis;

namespace GraphCompiler.Generator.Lowering;

/// <summary>
/// The user-API types model code is recognised by, looked up by metadata name in the compilation:
/// ops and operators are identified by symbol, never by the text of a name.
/// </summary>
internal sealed class ApiSymbols
{
    private ApiSymbols(Compilation c)
    {
        Tensor = c.GetTypeByMetadataName("GraphCompiler.Tensor");
        TensorShape = c.GetTypeByMetadataName("GraphCompiler.TensorShape");
        Ops = c.GetTypeByMetadataName("GraphCompiler.Ops");
        Init = c.GetTypeByMetadataName("GraphCompiler.Init");
        Summary = c.GetTypeByMetadataName("GraphCompiler.Summary");
        Layers = c.GetTypeByMetadataName("GraphCompiler.Layers");
        Layer = c.GetTypeByMetadataName("GraphCompiler.Layer");
        Rnn = c.GetTypeByMetadataName("GraphCompiler.Rnn");
        RnnCell = c.GetTypeByMetadataName("GraphCompiler.RnnCell");
        NameScopeContext = c.GetTypeByMetadataName("GraphCompiler.NameScopeContext");
        VariableScopeContext = c.GetTypeByMetadataName("GraphCompiler.VariableScopeContext");
        ShapeAttribute = c.GetTypeByMetadataName("GraphCompiler.ShapeAttribute");
        HyperAttribute = c.GetTypeByMetadataName("GraphCompiler.HyperAttribute");
        LossAttribute = c.GetTypeByMetadataName("GraphCompiler.LossAttribute");
        OutputAttribute = c.GetTypeByMetadataName("GraphCompiler.OutputAttribute");
        Math = c.GetTypeByMetadataName("System.Math");
        MathF = c.GetTypeByMetadataName("System.MathF");
        Enumerable = c.GetTypeByMetadataName("System.Linq.Enumerable");
    }

    public INamedTypeSymbol? Tensor { get; }
    public INamedTypeSymbol? TensorShape { get; }
    public INamedTypeSymbol? Ops { get; }
    public INamedTypeSymbol? Init { get; }
    public INamedTypeSymbol? Summary { get; }
    public INamedTypeSymbol? Layers { get; }
    public INamedTypeSymbol? Layer { get; }
    public INamedTypeSymbol? Rnn { get; }
    public INamedTypeSymbol? RnnCell { get; }
    public INamedTypeSymbol? NameScopeContext { get; }
    public INamedTypeSymbol? VariableScopeContext { get; }
    public INamedTypeSymbol? ShapeAttribute { get; }
    public INamedTypeSymbol? HyperAttribute { get; }
    public INamedTypeSymbol? LossAttribute { get; }
    public INamedTypeSymbol? OutputAttribute { get; }
    public INamedTypeSymbol? Math { get; }
    public INamedTypeSymbol? MathF { get; }
    public INamedTypeSymbol? Enumerable { get; }

    public static ApiSymbols From(Compilation compilation) => new(compilation);

    public static bool Is(ITypeSymbol? type, INamedTypeSymbol? expected) =>
        type is not null && expected is not null && SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, expected);

    public bool IsTensor(ITypeSymbol? type) => Is(type, Tensor);

    /// <summary>True for Tensor and for tuples whose elements are all Tensors.</summary>
    public bool IsTensorTuple(ITypeSymbol? type) =>
        type is INamedTypeSymbol { IsTupleType: true } t && t.TupleElements.Length > 0 && t.TupleElements.All(e => IsTensor(e.Type));

    public bool HasAttribute(ISymbol symbol, INamedTypeSymbol? attribute) =>
        attribute is not null && symbol.GetAttributes().Any(a => Is(a.AttributeClass, attribute));

    public AttributeData? GetAttribute(ISymbol symbol, INamedTypeSymbol? attribute) =>
        attribute is null ? null : symbol.GetAttributes().FirstOrDefault(a => Is(a.AttributeClass, attribute));
}
