using System.Text.RegularExpressions;
using GraphCompiler.Compiler.IR;
using GraphCompiler.Generator.Diagnostics;
using GraphCompiler.Generator.Pipeline;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace GraphCompiler.Generator.Lowering;

/// <summary>
/// Variables and scopes with TensorFlow 1.x's rules: <c>Variable</c> always creates (uniquifying
/// the name under the current name scope); <c>GetVariable</c> creates or fetches by its variable
/// scope path according to the scope's reuse mode; a variable scope also opens a (uniquified)
/// name scope; reuse is inherited by nested scopes; all entry methods share one store.
/// </summary>
internal sealed partial class Evaluator
{
    private const int ReuseFalse = 0;
    private const int ReuseTrue = 1;
    private const int ReuseAuto = 2;

    private static readonly Regex ValidName = new("^[A-Za-z0-9_.][A-Za-z0-9_.\\-]*$", RegexOptions.CultureInvariant);

    private static readonly ScopeFrame RootVariableScope = new() { IsVariableScope = true, VariableScopeName = "", Reuse = ReuseFalse };

    private ScopeFrame CurrentVariableScope => _scopes.LastOrDefault(s => s.IsVariableScope) ?? RootVariableScope;

    private Value CreateVariable(Arguments args)
    {
        var at = args.Call.Syntax;
        var name = Name(args, "name", "variable");
        var shape = VariableShape(args, name);
        var dtype = DTypeOf(args["dtype"], args.Syntax("dtype"));
        var init = InitializerOf(args, "init", shape, name);
        bool trainable = Bool(args["trainable"], args.Syntax("trainable"));
        var fullName = _ctx.Variables.UniqueName(_g.ScopePrefix + name);
        if (_loopDepth > 0) Warn(Descriptors.VariableInLoop, at, name, _g.ScopePrefix + name);
        var info = new VariableInfo(fullName, dtype, shape, init, trainable, _ctx.Span(at));
        _ctx.Variables.Add(info, LocationInfo.From(at), at, byGetVariable: false, CallSites);
        return Tensor(at, () => _g.Variable(info));
    }

    private Value GetVariable(Arguments args)
    {
        var name = Name(args, "name", "variable");
        var shape = VariableShape(args, name);
        var dtype = DTypeOf(args["dtype"], args.Syntax("dtype"));
        bool trainable = Bool(args["trainable"], args.Syntax("trainable"));
        return GetVariable(name, shape, dtype, trainable, args.Call.Syntax, () => InitializerOf(args, "initializer", shape, name));
    }

    /// <summary><c>tf.get_variable</c> in the current variable scope; <paramref name="init"/> runs only when the variable is created.</summary>
    private TensorValue GetVariable(string name, Shape shape, DType dtype, bool trainable, SyntaxNode at, Func<InitSpec> init)
    {
        var scope = CurrentVariableScope;
        var fullName = scope.VariableScopeName.Length == 0 ? name : scope.VariableScopeName + "/" + name;
        if (_ctx.Variables.TryGet(fullName, out var existing))
        {
            if (scope.Reuse == ReuseFalse || !existing.ByGetVariable)
            {
                var descriptor = existing.Site == at && _loopDepth > 0 ? Descriptors.GetVariableInLoop : Descriptors.VariableExists;
                // Outside any variable scope there is no scope to reopen: name the one to add instead.
                var advice = scope.VariableScopeName.Length == 0
                    ? $"It is created outside any variable scope: wrap the code that creates it in using var _ = VariableScope(\"name\", Reuse.Auto); to create it once and reuse it, or give each variable its own name"
                    : $"Open the scope with VariableScope(\"{scope.VariableScopeName.Split('/').Last()}\", Reuse.Auto) to create or reuse it";
                throw new LoweringException(DiagnosticInfo.Create(descriptor, LocationInfo.From(at), descriptor == Descriptors.VariableExists ? fullName : name,
                    descriptor == Descriptors.VariableExists ? advice : fullName).WithAdditional(existing.Origin) with { ScopeToFix = existing.ByGetVariable ? scope.OpenedAt : null });
            }
            var known = existing.Info;
            if (known.DType != dtype || !known.Shape.Equals(shape))
                throw new LoweringException(DiagnosticInfo.Create(Descriptors.VariableConflict, LocationInfo.From(at), fullName,
                    dtype.ShortName() + shape, known.DType.ShortName() + known.Shape).WithAdditional(existing.Origin));
            return Tensor(at, () => _g.Variable(known));
        }
        if (scope.Reuse == ReuseTrue)
            throw new LoweringException(DiagnosticInfo.Create(Descriptors.VariableMissing, LocationInfo.From(at), fullName) with { ScopeToFix = scope.OpenedAt });
        var info = new VariableInfo(fullName, dtype, shape, init(), trainable, _ctx.Span(at));
        _ctx.Variables.Add(info, LocationInfo.From(at), at, byGetVariable: true, CallSites);
        return Tensor(at, () => _g.Variable(info));
    }

    private Value OpenNameScope(Arguments args)
    {
        RequireUsing(args.Call, "NameScope");
        var name = Name(args, "name", "scope");
        _g.PushNameScope(name);
        var frame = new ScopeFrame { IsVariableScope = false };
        _scopes.Add(frame);
        return new ScopeValue(frame);
    }

    private Value OpenVariableScope(Arguments args)
    {
        RequireUsing(args.Call, "VariableScope");
        var name = Name(args, "name", "scope");
        long reuse = IntOf(args["reuse"], args.Syntax("reuse"), "as a reuse mode");
        var parent = CurrentVariableScope;
        _g.PushNameScope(name);
        var frame = new ScopeFrame
        {
            IsVariableScope = true,
            VariableScopeName = parent.VariableScopeName.Length == 0 ? name : parent.VariableScopeName + "/" + name,
            Reuse = reuse == ReuseFalse ? parent.Reuse : (int)reuse,
            OpenedAt = LocationInfo.From(args.Call.Syntax),
        };
        _scopes.Add(frame);
        return new ScopeValue(frame);
    }

    private Value ScopeMethod(IInvocationOperation call)
    {
        if (call.Instance is null || Eval(call.Instance) is not ScopeValue scope)
            throw Error(Descriptors.NotATensor, call.Syntax, "the scope is null");
        switch (call.TargetMethod.Name)
        {
            case "ReuseVariables" when scope.Frame.IsVariableScope:
                scope.Frame.Reuse = ReuseTrue;
                return NullValue.Instance;
            case "Dispose":
                throw Error(Descriptors.UnsupportedExpression, call.Syntax, "Disposing a scope explicitly (its using closes it)");
            default:
                throw Error(Descriptors.UnknownMethod, call.Syntax, call.TargetMethod.ToDisplayString());
        }
    }

    private void CloseScope(ScopeValue scope)
    {
        if (scope.Frame.Closed) return;
        if (_scopes.Count == 0 || _scopes[_scopes.Count - 1] != scope.Frame)
            throw new InvalidOperationException("scopes must close in the reverse order of opening");
        _scopes.RemoveAt(_scopes.Count - 1);
        _g.PopNameScope();
        scope.Frame.Closed = true;
    }

    /// <summary>A scope is closed when its using ends, so it must be opened as a using resource.</summary>
    private void RequireUsing(IInvocationOperation call, string what)
    {
        for (var p = call.Parent; p is not null; p = p.Parent)
        {
            switch (p)
            {
                case IUsingOperation or IUsingDeclarationOperation:
                    return;
                case IConversionOperation or IVariableInitializerOperation or IVariableDeclaratorOperation or IVariableDeclarationOperation or IVariableDeclarationGroupOperation:
                    continue;
                default:
                    throw Error(Descriptors.ScopeWithoutUsing, call.Syntax, what);
            }
        }
        throw Error(Descriptors.ScopeWithoutUsing, call.Syntax, what);
    }

    private string Name(Arguments args, string parameter, string kind)
    {
        var value = args[parameter];
        var text = value is StringValue s ? s.Value : null;
        if (text is null || !ValidName.IsMatch(text))
            throw Error(Descriptors.InvalidName, args.Syntax(parameter), text ?? value.Describe(), kind);
        return text;
    }

    private Shape VariableShape(Arguments args, string name)
    {
        var at = args.Syntax("shape");
        if (args["shape"] is not ArrayValue array) throw Error(Descriptors.VariableShapeNotStatic, at, name, "the shape is null");
        var dims = new List<Dim>();
        for (int i = 0; i < array.Items.Length; i++)
        {
            dims.Add(array.Items[i] switch
            {
                IntValue { Value: >= 0 and <= int.MaxValue } v => Dim.Of((int)v.Value),
                IntValue v => throw Error(Descriptors.VariableShapeNotStatic, at, name, $"dimension {i} is {v.Value}"),
                SymbolicDimValue s when _ctx.IsHyperDim(s.Symbol) => Dim.Sym(s.Symbol),
                SymbolicDimValue s => throw Error(Descriptors.VariableShapeNotStatic, at, name, $"dimension {i} is the symbolic size '{s.Symbol}', known only at call time"),
                var other => throw Error(Descriptors.VariableShapeNotStatic, at, name, $"dimension {i} is {other.Describe()}"),
            });
        }
        var shape = new Shape(dims);
        CheckSize(shape, at, $"Variable '{name}'");
        return shape;
    }

    private DType DTypeOf(Value value, SyntaxNode at) => value switch
    {
        IntValue { Value: >= 0 and <= (int)DType.Bool } i => (DType)(int)i.Value,
        _ => throw Error(Descriptors.EvaluationError, at, $"expected a DType, got {value.Describe()}"),
    };

    /// <summary>The initializer's spec; a random one without a seed gets the variable's creation index + 1 as its op seed.</summary>
    private InitSpec InitializerOf(Arguments args, string parameter, Shape shape, string name)
    {
        var value = args[parameter];
        if (value is NullValue && parameter == "initializer") value = new InitializerValue("glorot_uniform", Array.Empty<double>(), 0, 0, null);
        if (value is not InitializerValue init) throw Error(Descriptors.EvaluationError, args.Syntax(parameter), $"expected an initializer, got {value.Describe()}");
        if (init.Kind == "constant" && init.Values.Length != 1 && !shape.IsStatic)
            throw Error(Descriptors.HyperAsConstant, args.Syntax(parameter), string.Join(", ", shape.Symbols), $"in the shape {shape} of '{name}', whose constant initializer lists {init.Values.Length} values");
        long count = shape.IsStatic ? shape.StaticElementCount : 0;
        if (init.Kind == "constant" && init.Values.Length != 1 && init.Values.Length != count)
            throw Error(Descriptors.InitializerSize, args.Syntax(parameter), name, init.Values.Length.ToString(System.Globalization.CultureInfo.InvariantCulture),
                shape.ToString(), count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        int seed = init.IsRandom ? init.Seed ?? _ctx.Variables.Count + 1 : 0;
        return new InitSpec(init.Kind, init.Values, init.A, init.B, seed, init.AExpression, init.BExpression);
    }
}
