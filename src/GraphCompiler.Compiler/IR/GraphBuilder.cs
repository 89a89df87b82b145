using GraphCompiler.Compiler.Ops;

namespace GraphCompiler.Compiler.IR;

/// <summary>
/// Builds one graph: applies ops (running each op's shape rule as the node is made), keeps
/// TensorFlow-style unique scoped names, and collects outputs and state updates. Lowering,
/// autodiff and every rewriting pass build nodes only through this class.
/// </summary>
public sealed class GraphBuilder
{
    private readonly List<Node> _nodes = new();
    private readonly List<GraphOutput> _outputs = new();
    private readonly List<Node> _effects = new();
    private readonly Dictionary<string, int> _usedNames = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Node> _variableReads = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Node> _inputs = new(StringComparer.Ordinal);
    private readonly List<string> _scopes = new();
    private readonly Dictionary<string, VariableInfo> _variables;

    public GraphBuilder(string name, IDictionary<string, VariableInfo>? variables = null)
    {
        Name = name;
        _variables = variables is null ? new(StringComparer.Ordinal) : new(variables, StringComparer.Ordinal);
    }

    public string Name { get; }

    /// <summary>The location stamped on nodes made from now on (set by lowering per expression).</summary>
    public SourceSpan? CurrentSource { get; set; }

    public IReadOnlyList<Node> Nodes => _nodes;

    public IReadOnlyDictionary<string, VariableInfo> Variables => _variables;

    /// <summary>The current name-scope prefix, e.g. <c>two_layers/h1/</c> (empty at top level).</summary>
    public string ScopePrefix => _scopes.Count == 0 ? "" : string.Join("/", _scopes) + "/";

    /// <summary>
    /// Opens a name scope. As in TensorFlow, re-entering a scope name at the same level gets a
    /// uniquified scope (<c>layer_1</c>). Returns the full scope actually opened.
    /// </summary>
    public string PushNameScope(string name)
    {
        var unique = UniqueName(ScopePrefix + name);
        _scopes.Add(unique.Substring(ScopePrefix.Length));
        return unique;
    }

    /// <summary>Opens exactly this scope path (for re-opening a scope by its full name).</summary>
    public void PushExactScope(string fullScope)
    {
        _usedNames[fullScope] = _usedNames.TryGetValue(fullScope, out var n) ? n : 1;
        _scopes.Add(fullScope.Substring(ScopePrefix.Length));
    }

    public void PopNameScope()
    {
        if (_scopes.Count == 0) throw new InvalidOperationException("no name scope is open");
        _scopes.RemoveAt(_scopes.Count - 1);
    }

    /// <summary>
    /// Opens a name scope until the result is disposed (<c>using var _ = g.NameScope("softmax")</c>):
    /// a composite's internals then read <c>softmax/exp</c>, as under TensorFlow's own ops.
    /// </summary>
    public IDisposable NameScope(string name)
    {
        PushNameScope(name);
        return new ScopeCloser(this);
    }

    private sealed class ScopeCloser(GraphBuilder builder) : IDisposable
    {
        private bool _closed;

        public void Dispose()
        {
            if (_closed) return;
            _closed = true;
            builder.PopNameScope();
        }
    }

    /// <summary>Applies a registered op by name.</summary>
    public Node Apply(string op, IReadOnlyList<Node> inputs, Attrs? attrs = null, string? name = null) =>
        Apply(OpRegistry.Get(op), inputs, attrs, name);

    /// <summary>
    /// Set on a loop body's builder (<see cref="LoopBuilder"/>): turns a node of an enclosing graph that an op
    /// here takes as input into the body's input for it, and reads variables in the enclosing graph.
    /// </summary>
    internal LoopBuilder? Loop { get; set; }

    /// <summary>Applies an op; throws <see cref="ShapeException"/> if its shape rule fails.</summary>
    public Node Apply(OpDef op, IReadOnlyList<Node> inputs, Attrs? attrs = null, string? name = null)
    {
        attrs ??= Attrs.Empty;
        if (Loop is not null) inputs = inputs.Select(Loop.Adopt).ToArray();
        var (dtype, shape) = op.InferType(inputs, attrs);
        var node = new Node(_nodes.Count, op, inputs.ToArray(), attrs, dtype, shape, UniqueName(ScopePrefix + (name ?? op.Name)), CurrentSource);
        _nodes.Add(node);
        return node;
    }

    /// <summary>A placeholder; one node per name.</summary>
    public Node Input(string name, DType dtype, Shape shape)
    {
        if (_inputs.ContainsKey(name)) throw new ShapeException($"input '{name}' is declared twice");
        // A placeholder is named as fed, outside any scope (a loop body's ports are made inside one).
        var saved = _scopes.ToArray();
        _scopes.Clear();
        var node = Apply("input", Array.Empty<Node>(), Attrs.Of(("name", name), ("dtype", dtype), ("shape", shape)), name);
        _scopes.AddRange(saved);
        _inputs.Add(name, node);
        return node;
    }

    public bool TryGetInput(string name, out Node node) => _inputs.TryGetValue(name, out node!);

    /// <summary>Declares a variable of the model (or finds it) and returns its read node in this graph.</summary>
    public Node Variable(VariableInfo info)
    {
        if (Loop is not null) return Loop.Adopt(Loop.Outer.Variable(info));
        if (_variables.TryGetValue(info.Name, out var known) && (known.DType != info.DType || !known.Shape.Equals(info.Shape)))
            throw new ShapeException($"variable '{info.Name}' is {known.DType.ShortName()}{known.Shape} but is used as {info.DType.ShortName()}{info.Shape}");
        if (!_variables.ContainsKey(info.Name)) _variables[info.Name] = info;
        return ReadVariable(info.Name);
    }

    /// <summary>The read node of a declared variable (one per graph).</summary>
    public Node ReadVariable(string fullName)
    {
        if (_variableReads.TryGetValue(fullName, out var node)) return node;
        var info = _variables[fullName];
        var saved = _scopes.ToArray();
        _scopes.Clear();
        node = Apply("variable", Array.Empty<Node>(), Attrs.Of(("name", fullName), ("dtype", info.DType), ("shape", info.Shape)), fullName);
        _scopes.AddRange(saved);
        _variableReads.Add(fullName, node);
        return node;
    }

    public Node Constant(double value, DType dtype = DType.Float32) =>
        Apply("constant", Array.Empty<Node>(), Attrs.Of(("value", new[] { value }), ("dtype", dtype), ("shape", Shape.Scalar)), "Const");

    public Node Constant(double[] values, Shape shape, DType dtype = DType.Float32) =>
        Apply("constant", Array.Empty<Node>(), Attrs.Of(("value", values), ("dtype", dtype), ("shape", shape)), "Const");

    public void AddOutput(string name, Node node)
    {
        if (_outputs.Any(o => o.Name == name)) throw new InvalidOperationException($"output '{name}' is defined twice");
        _outputs.Add(new GraphOutput(name, node));
    }

    public bool HasOutput(string name) => _outputs.Any(o => o.Name == name);

    public void AddEffect(Node node)
    {
        if (node.Op.Class != OpClass.Effect) throw new ArgumentException($"{node.OpName} is not a state update");
        _effects.Add(node);
    }

    public Graph Build() => new(Name, _nodes.ToArray(), _outputs.ToArray(), _effects.ToArray(), new Dictionary<string, VariableInfo>(_variables, StringComparer.Ordinal));

    // Convenience for gradient rules and passes: the primitives by name.
    public Node Add(Node a, Node b) => Apply("add", new[] { a, b });

    public Node Sub(Node a, Node b) => Apply("sub", new[] { a, b });

    public Node Mul(Node a, Node b) => Apply("mul", new[] { a, b });

    public Node Div(Node a, Node b) => Apply("div", new[] { a, b });

    public Node Neg(Node a) => Apply("neg", new[] { a });

    public Node Scalar(double v, DType dtype) => Constant(v, dtype);

    /// <summary>Sums <paramref name="a"/> down to the shape of <paramref name="like"/> (the gradient of broadcasting); no-op when equal.</summary>
    public Node SumToLike(Node a, Node like) => a.Shape.Equals(like.Shape) ? a : Apply("sum_to_like", new[] { a, like });

    /// <summary>Broadcasts <paramref name="a"/> up to the shape of <paramref name="like"/>; no-op when equal.</summary>
    public Node BroadcastLike(Node a, Node like) => a.Shape.Equals(like.Shape) ? a : Apply("broadcast_like", new[] { a, like });

    private string UniqueName(string name)
    {
        if (!_usedNames.TryGetValue(name, out var count))
        {
            _usedNames[name] = 1;
            return name;
        }
        while (true)
        {
            var candidate = name + "_" + count++;
            if (_usedNames.ContainsKey(candidate)) continue;
            _usedNames[name] = count;
            _usedNames[candidate] = 1;
            return candidate;
        }
    }
}
