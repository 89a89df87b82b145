using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Ops;
using GraphCompiler.Generator.Diagnostics;
using GraphCompiler.Generator.Pipeline;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace GraphCompiler.Generator.Lowering;

/// <summary>Calls: ops, initializers, layers, scope methods, Math, Enumerable.Range and inlined helpers.</summary>
internal sealed partial class Evaluator
{
    /// <summary>The evaluated arguments of a call, by parameter name, with the syntax to blame for each.</summary>
    private sealed class Arguments(IInvocationOperation call, Dictionary<string, (Value Value, IArgumentOperation Arg)> byName)
    {
        public IInvocationOperation Call { get; } = call;

        public Value this[string name] => byName.TryGetValue(name, out var a) ? a.Value : NullValue.Instance;

        public bool Has(string name) => byName.ContainsKey(name);

        public SyntaxNode Syntax(string name) =>
            byName.TryGetValue(name, out var a) && a.Arg.ArgumentKind != ArgumentKind.DefaultValue ? a.Arg.Value.Syntax : Call.Syntax;
    }

    private Arguments Bind(IInvocationOperation call)
    {
        var byName = new Dictionary<string, (Value, IArgumentOperation)>(StringComparer.Ordinal);
        foreach (var arg in call.Arguments)
        {
            if (arg.Parameter is null) continue;
            if (arg.Parameter.RefKind != RefKind.None)
                throw Error(Descriptors.UnsupportedExpression, arg.Syntax, "A ref or out argument");
            byName[arg.Parameter.Name] = (Eval(arg.Value), arg);
        }
        return new Arguments(call, byName);
    }

    private Value Invoke(IInvocationOperation call)
    {
        var method = call.TargetMethod;
        var type = method.ContainingType;
        // A model with hyperparameters may call its own instance helpers, which read them.
        bool ownHelper = call.Instance is IInstanceReferenceOperation && _ctx.Hypers.Count > 0 && method.MethodKind == MethodKind.Ordinary && !method.DeclaringSyntaxReferences.IsEmpty;
        if (call.Instance is IInstanceReferenceOperation && !ownHelper) throw Error(Descriptors.InstanceState, call.Syntax, method.ToDisplayString());
        if (ApiSymbols.Is(type, Api.Ops)) return OpCall(method.Name, Bind(call));
        if (ApiSymbols.Is(type, Api.Init)) return InitializerCall(method.Name, Bind(call));
        if (ApiSymbols.Is(type, Api.Summary)) return SummaryCall(method.Name, Bind(call));
        if (ApiSymbols.Is(type, Api.Layers)) return LayersCall(method.Name, Bind(call));
        if (ApiSymbols.Is(type, Api.Layer)) return LayerMethod(call);
        if (ApiSymbols.Is(type, Api.Rnn)) return RnnCall(method.Name, Bind(call));
        if (ApiSymbols.Is(type, Api.RnnCell)) return RnnCellMethod(call);
        if (ApiSymbols.Is(type, Api.VariableScopeContext) || ApiSymbols.Is(type, Api.NameScopeContext)) return ScopeMethod(call);
        if (ApiSymbols.Is(type, Api.Math) || ApiSymbols.Is(type, Api.MathF)) return MathCall(call);
        if (ApiSymbols.Is(type, Api.Enumerable) && method.Name == "Range") return RangeCall(Bind(call));
        if (method.MethodKind == MethodKind.LocalFunction || (method.IsStatic && method.MethodKind == MethodKind.Ordinary) || ownHelper)
        {
            var body = _ctx.GetBody(method);
            if (body is not null) return Inline(method, call, body);
        }
        else if (!method.IsStatic && !method.DeclaringSyntaxReferences.IsEmpty)
            throw Error(Descriptors.InstanceState, call.Syntax, method.ToDisplayString());
        // LINQ (xs.Select(x => ...).ToArray()) fails at the outer call; the lambda is what to change.
        if (call.Descendants().FirstOrDefault(d => d is IAnonymousFunctionOperation) is { } lambda)
            throw Error(Descriptors.Lambda, lambda.Syntax, "Lambdas (and so LINQ)");
        throw Error(Descriptors.UnknownMethod, call.Syntax, method.ToDisplayString());
    }

    /// <summary>Evaluates a helper's body with its parameters bound: the helper's ops land in this graph.</summary>
    private Value Inline(IMethodSymbol method, IInvocationOperation call, IBlockOperation body)
    {
        if (_callDepth >= MaxCallDepth)
            throw Error(Descriptors.RecursionTooDeep, call.Syntax, method.ToDisplayString(), MaxCallDepth.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var args = new List<(IParameterSymbol, Value)>();
        foreach (var arg in call.Arguments)
        {
            if (arg.Parameter is null) continue;
            if (arg.Parameter.RefKind != RefKind.None) throw Error(Descriptors.UnsupportedExpression, arg.Syntax, "A ref or out argument");
            args.Add((arg.Parameter, Eval(arg.Value)));
        }
        var caller = _frame;
        // Local functions see the locals of the method that declares them (a superset of what they capture).
        _frame = new Frame(method.MethodKind == MethodKind.LocalFunction ? caller : null);
        foreach (var (parameter, value) in args) _frame.Declare(parameter, value);
        _callDepth++;
        var site = LocationInfo.From(call.Syntax);
        _callSites.Insert(0, site);
        try
        {
            Exec(body);
            return _frame.Return ?? NullValue.Instance;
        }
        catch (LoweringException e)
        {
            // An error inside the helper also points at this call: a helper called twice shows which call failed.
            throw new LoweringException(e.Diagnostic.WithAdditional(site));
        }
        finally
        {
            _callSites.RemoveAt(0);
            _callDepth--;
            _frame = caller;
        }
    }

    /// <summary>The helper calls being inlined, innermost first.</summary>
    private readonly List<LocationInfo> _callSites = new();

    private IReadOnlyList<LocationInfo> CallSites => _callSites.ToArray();

    private Value MathCall(IInvocationOperation call)
    {
        var m = call.TargetMethod;
        var values = call.Arguments.Select(arg => Eval(arg.Value)).ToArray();
        if (HyperMath(call, values) is { } hyper) return hyper;
        var a = call.Arguments.Select((arg, i) => FloatOf(values[i], arg.Value.Syntax, $"in {m.ContainingType.Name}.{m.Name}")).ToArray();
        double? result = (m.Name, a.Length) switch
        {
            ("Sqrt", 1) => Math.Sqrt(a[0]),
            ("Abs", 1) => Math.Abs(a[0]),
            ("Exp", 1) => Math.Exp(a[0]),
            ("Log", 1) => Math.Log(a[0]),
            ("Floor", 1) => Math.Floor(a[0]),
            ("Ceiling", 1) => Math.Ceiling(a[0]),
            ("Max", 2) => Math.Max(a[0], a[1]),
            ("Min", 2) => Math.Min(a[0], a[1]),
            ("Pow", 2) => Math.Pow(a[0], a[1]),
            _ => null,
        };
        if (result is null) throw Error(Descriptors.UnknownMethod, call.Syntax, m.ToDisplayString());
        return IsIntegral(m.ReturnType) ? new IntValue((long)result.Value) : Number(result.Value, m.ReturnType);
    }

    private Value RangeCall(Arguments args)
    {
        long start = IntOf(args["start"], args.Syntax("start"), "as a range start");
        long count = IntOf(args["count"], args.Syntax("count"), "as a range count");
        if (count < 0 || count > MaxIterations) throw Error(Descriptors.EvaluationError, args.Syntax("count"), $"range count {count} is out of range");
        return new ArrayValue(Enumerable.Range(0, (int)count).Select(i => (Value)new IntValue(start + i)).ToArray());
    }

    /// <summary>A static shape whose element count no array (variable data or the arena) can index is GC0203.</summary>
    private void CheckSize(Shape shape, SyntaxNode at, string what)
    {
        if (TensorLimits.TooLarge(shape) is { } count)
            throw Error(Descriptors.TensorTooLarge, at, what, shape.ToString(), TensorLimits.Format(count), TensorLimits.Format(TensorLimits.MaxElements));
    }

    /// <summary>Makes a node with the source location set and shape errors reported at <paramref name="at"/>.</summary>
    private Node At(SyntaxNode at, Func<Node> make) => Located(at, () =>
    {
        var node = make();
        CheckSize(node.Shape, at, $"The result of {node.OpName}");
        return node;
    });

    /// <summary>Runs <paramref name="make"/> with the source location set and shape errors reported at <paramref name="at"/>.</summary>
    private T Located<T>(SyntaxNode at, Func<T> make)
    {
        var saved = _g.CurrentSource;
        _g.CurrentSource = _ctx.Span(at);
        try
        {
            return make();
        }
        catch (ShapeException e)
        {
            throw Error(Descriptors.ShapeError, at, e.Message);
        }
        finally
        {
            _g.CurrentSource = saved;
        }
    }

    private Value TensorBinary(BinaryOperatorKind kind, IOperation left, IOperation right, IOperation at) =>
        TensorBinaryValues(kind, Eval(left), Eval(right), at);

    /// <summary>Tensor ⊗ tensor, tensor ⊗ number, number ⊗ tensor: a number becomes a scalar constant of the tensor's dtype.</summary>
    private Value TensorBinaryValues(BinaryOperatorKind kind, Value left, Value right, IOperation at)
    {
        string op = kind switch
        {
            BinaryOperatorKind.Add => "add",
            BinaryOperatorKind.Subtract => "sub",
            BinaryOperatorKind.Multiply => "mul",
            BinaryOperatorKind.Divide => "div",
            _ => throw Error(Descriptors.UnsupportedExpression, at.Syntax, $"The operator {kind} on tensors"),
        };
        var dtype = (left as TensorValue ?? right as TensorValue)?.Node.DType ?? Compiler.IR.DType.Float32;
        Node Operand(Value v) => v is TensorValue t ? t.Node
            : v is IntValue or FloatValue ? At(at.Syntax, () => _g.Constant(AsDouble(v), dtype))
            : TensorOf(v, at.Syntax);
        var a = Operand(left);
        var b = Operand(right);
        return new TensorValue(At(at.Syntax, () => _g.Apply(op, new[] { a, b })));
    }
}
