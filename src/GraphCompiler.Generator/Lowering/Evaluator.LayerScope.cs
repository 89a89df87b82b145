using GraphCompiler.Compiler.IR;
using Microsoft.CodeAnalysis;

namespace GraphCompiler.Generator.Lowering;

/// <summary>
/// The variable scope of one Keras layer, shared by every layer that owns variables (dense, embedding,
/// and the convolution layers). A layer is named as Keras names it: the name given, or its kind's
/// name made unique within the entry method under the enclosing variable scope (<c>dense</c>,
/// <c>dense_1</c>, …). Each entry method lowers with its own names, so the k-th dense layer of every
/// entry method is the same layer: its variables are created by the first entry and reused by the
/// others (a shape that differs is GC0302). Within one entry a given name that is used twice follows
/// the enclosing scope's reuse mode (by default GC0300), while one described layer applied twice
/// reuses its variables, like a Keras layer object called twice.
/// </summary>
internal sealed partial class Evaluator
{
    /// <summary>The layer scopes this entry method has opened, by full path.</summary>
    private readonly HashSet<string> _layerScopes = new(StringComparer.Ordinal);

    /// <summary>
    /// Runs <paramref name="build"/> inside <paramref name="layer"/>'s variable scope (and a name scope of the
    /// same name); <paramref name="kerasName"/> is the kind's name in Keras (<c>dense</c>, <c>conv2d</c>).
    /// </summary>
    private T InLayerScope<T>(LayerValue layer, string kerasName, Func<T> build)
    {
        var parent = CurrentVariableScope;
        string Path(string name) => parent.VariableScopeName.Length == 0 ? name : parent.VariableScopeName + "/" + name;
        int reuse = ReuseAuto;
        if (layer.Scope is null)
        {
            var path = layer.Name is { } given ? Path(given) : VariableStore.Unique(Path(kerasName), _layerScopes.Contains);
            if (!_layerScopes.Add(path)) reuse = parent.Reuse;
            layer.Scope = path;
        }
        _g.PushNameScope(layer.Scope.Substring(layer.Scope.LastIndexOf('/') + 1));
        var frame = new ScopeFrame { IsVariableScope = true, VariableScopeName = layer.Scope, Reuse = reuse };
        _scopes.Add(frame);
        try
        {
            return build();
        }
        finally
        {
            _scopes.Remove(frame);
            _g.PopNameScope();
        }
    }

    /// <summary>A float32 variable of the current layer scope, created with <paramref name="init"/>, or reused.</summary>
    private Node LayerVariable(string name, Shape shape, Func<InitSpec> init, bool trainable, SyntaxNode at)
    {
        CheckSize(shape, at, $"Layer variable '{name}'");
        return GetVariable(name, shape, Compiler.IR.DType.Float32, trainable, at, init).Node;
    }

    /// <summary>A trainable layer variable initialized by <paramref name="initKind"/> on [a, b); zeros and ones take no seed.</summary>
    private Node LayerVariable(string name, Shape shape, string initKind, double a, double b, SyntaxNode at) =>
        LayerVariable(name, shape, initKind is "zeros" or "ones" ? () => new InitSpec(initKind, Array.Empty<double>(), 0, 0, 0) : RandomInit(initKind, a, b), true, at);

    /// <summary>A random initializer of <paramref name="kind"/> on [a, b), seeded by the variable's creation order.</summary>
    private Func<InitSpec> RandomInit(string kind, double a = 0, double b = 0) =>
        () => new InitSpec(kind, Array.Empty<double>(), a, b, _ctx.Variables.Count + 1);
}
