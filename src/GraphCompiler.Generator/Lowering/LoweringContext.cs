using GraphCompiler.Compiler.IR;
using GraphCompiler.Generator.Diagnostics;
using GraphCompiler.Generator.Pipeline;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace GraphCompiler.Generator.Lowering;

/// <summary>
/// State shared by the lowering of all entry methods of one model: the compilation and API symbols,
/// the variable store, the diagnostics so far and the locations of the nodes made.
/// </summary>
internal sealed class LoweringContext(Compilation compilation, CancellationToken cancellationToken)
{
    private readonly Dictionary<SyntaxTree, SemanticModel> _models = new();
    private readonly Dictionary<ISymbol, IBlockOperation?> _bodies = new(SymbolEqualityComparer.Default);
    private readonly List<DiagnosticInfo> _diagnostics = new();
    private readonly HashSet<DiagnosticInfo> _reported = new();

    public Compilation Compilation { get; } = compilation;

    public ApiSymbols Api { get; } = ApiSymbols.From(compilation);

    public VariableStore Variables { get; } = new();

    /// <summary>The model's <c>[Hyper]</c> properties, found by discovery before any entry is lowered.</summary>
    public List<GraphCompiler.Compiler.Model.HyperParameter> Hypers { get; } = new();

    /// <summary>True when <paramref name="symbol"/> is a dimension hyperparameter rather than a call-time dim.</summary>
    public bool IsHyperDim(string symbol) => Hypers.Any(h => h.IsDimension && h.Name == symbol);

    /// <summary>
    /// The derived dimension <paramref name="name"/> = <paramref name="expression"/> (<c>Dim_times_2</c> = <c>(Dim * 2)</c>),
    /// made a dimension hyperparameter the first time model code computes it.
    /// </summary>
    public void DeriveDim(string name, string expression)
    {
        if (Hypers.Any(h => h.Name == name)) return;
        Hypers.Add(new GraphCompiler.Compiler.Model.HyperParameter(name, true, expression));
        DimConstraints.AddHyper(name);
    }

    public CancellationToken CancellationToken { get; } = cancellationToken;

    public IReadOnlyList<DiagnosticInfo> Diagnostics => _diagnostics;

    public bool HasErrors => _failedSilently || _diagnostics.Any(d => Descriptors.ById(d.Id).DefaultSeverity == DiagnosticSeverity.Error);

    private bool _failedSilently;

    /// <summary>
    /// Records a lowering error without reporting it: the C# compiler already reports an error at
    /// that code (it is being typed), and a second diagnostic there would only be noise. The model
    /// still counts as failed, so it gets its public surface only.
    /// </summary>
    public void FailSilently() => _failedSilently = true;

    /// <summary>Whether the C# compiler reports an error inside <paramref name="location"/>.</summary>
    public bool HasCSharpError(LocationInfo location)
    {
        var tree = Compilation.SyntaxTrees.FirstOrDefault(t => t.FilePath == location.FilePath);
        return tree is not null && GetSemanticModel(tree).GetDiagnostics(location.Span, CancellationToken).Any(d => d.Severity == DiagnosticSeverity.Error);
    }

    /// <summary>The syntax node at <paramref name="location"/>, or null when its tree is not in the compilation.</summary>
    public SyntaxNode? NodeAt(LocationInfo location) =>
        Compilation.SyntaxTrees.FirstOrDefault(t => t.FilePath == location.FilePath) is { } tree && location.Span.End <= tree.Length
            ? tree.GetRoot(CancellationToken).FindNode(location.Span, getInnermostNodeForTie: true)
            : null;

    /// <summary>Every location stamped on a node, relative to its member (<see cref="Anchors"/>), to map compiler diagnostics back.</summary>
    public Dictionary<SourceSpan, RelativeLocation> Locations { get; } = new();

    public AnchorTable Anchors { get; } = new();

    /// <summary>Reports a diagnostic once (an unrolled loop reaches the same site many times).</summary>
    public void Report(DiagnosticInfo diagnostic)
    {
        if (_reported.Add(diagnostic)) _diagnostics.Add(diagnostic);
    }

    public SemanticModel GetSemanticModel(SyntaxTree tree)
    {
        if (!_models.TryGetValue(tree, out var model))
            _models[tree] = model = Compilation.GetSemanticModel(tree);
        return model;
    }

    /// <summary>The body of a method or local function with source, or null when it has none.</summary>
    public IBlockOperation? GetBody(IMethodSymbol method)
    {
        var definition = method.OriginalDefinition;
        if (_bodies.TryGetValue(definition, out var cached)) return cached;
        IBlockOperation? body = null;
        foreach (var reference in definition.DeclaringSyntaxReferences)
        {
            var node = reference.GetSyntax(CancellationToken);
            var model = GetSemanticModel(node.SyntaxTree);
            body = node switch
            {
                BaseMethodDeclarationSyntax m when m.Body is not null || m.ExpressionBody is not null =>
                    model.GetOperation(m, CancellationToken) is IMethodBodyOperation op ? op.BlockBody ?? op.ExpressionBody : null,
                LocalFunctionStatementSyntax f => (model.GetOperation(f, CancellationToken) as ILocalFunctionOperation)?.Body,
                _ => null,
            };
            if (body is not null) break;
        }
        _bodies[definition] = body;
        return body;
    }

    public SourceSpan Span(SyntaxNode node)
    {
        var info = LocationInfo.From(node);
        var span = new SourceSpan(info.FilePath, info.Span.Start, info.Span.Length, info.LineSpan.Start.Line + 1, info.LineSpan.Start.Character + 1);
        if (!Locations.ContainsKey(span)) Locations[span] = Anchors.Relate(node, info);
        return span;
    }
}
