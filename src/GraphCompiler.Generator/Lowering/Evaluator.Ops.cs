using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Ops;
using GraphCompiler.Generator.Diagnostics;
using Microsoft.CodeAnalysis;

namespace GraphCompiler.Generator.Lowering;

/// <summary>Calls to <c>GraphCompiler.Ops</c> and <c>GraphCompiler.Init</c>: one graph op (or a few) each.</summary>
internal sealed partial class Evaluator
{
    private Value OpCall(string name, Arguments args)
    {
        var at = args.Call.Syntax;
        switch (name)
        {
            case "Variable":
                return CreateVariable(args);
            case "GetVariable":
                return GetVariable(args);
            case "NameScope":
                return OpenNameScope(args);
            case "VariableScope":
                return OpenVariableScope(args);
            case "Constant":
            {
                if (args.Has("value"))
                {
                    double v = FloatOf(args["value"], args.Syntax("value"), "as a constant");
                    return Tensor(at, () => _g.Constant(v, Compiler.IR.DType.Float32));
                }
                var values = Floats(args["values"], args.Syntax("values"));
                var shape = args.Has("shape") ? new Shape(Ints(args["shape"], args.Syntax("shape"), "in a constant's shape").Select(d => Dim.Of(d < 0 ? throw Error(Descriptors.ShapeError, args.Syntax("shape"), $"constant: dimension {d} is negative") : d))) : Shape.Of(values.Length);
                return Tensor(at, () => _g.Constant(values, shape, Compiler.IR.DType.Float32));
            }
            case "Square":
            {
                var x = TensorOf(args["x"], args.Syntax("x"));
                return Tensor(at, () => _g.Apply("square", new[] { x }));
            }
            case "ReduceSum":
            case "ReduceMean":
                return Reduce(name == "ReduceMean", args);
            case "MatMul":
            {
                var a = TensorOf(args["a"], args.Syntax("a"));
                var b = TensorOf(args["b"], args.Syntax("b"));
                bool ta = Bool(args["transposeA"], args.Syntax("transposeA")), tb = Bool(args["transposeB"], args.Syntax("transposeB"));
                return Tensor(at, () => _g.Apply("matmul", new[] { a, b }, MatMul.Flags(ta, tb)));
            }
            case "Reshape":
            {
                var x = TensorOf(args["x"], args.Syntax("x"));
                var requested = Dims(args["shape"], args.Syntax("shape"));
                return Tensor(at, () => _g.Apply("reshape", new[] { x }, Attrs.Of(("shape", Compiler.Ops.Reshape.Resolve(x.Shape, requested)))));
            }
            case "Transpose":
            {
                var x = TensorOf(args["x"], args.Syntax("x"));
                var perm = args["perm"] is NullValue
                    ? Enumerable.Range(0, x.Shape.Rank).Reverse().ToArray()
                    : Ints(args["perm"], args.Syntax("perm"), "in a permutation").Select(p => p < 0 ? p + x.Shape.Rank : p).ToArray();
                return Tensor(at, () => _g.Apply("transpose", new[] { x }, Attrs.Of(("perm", perm))));
            }
            case "Prune":
                return Prune(args);
            case "Assign":
            {
                var variable = TensorOf(args["variable"], args.Syntax("variable"));
                var value = TensorOf(args["value"], args.Syntax("value"));
                var node = At(at, () => _g.Apply("assign", new[] { variable, value }));
                _g.AddEffect(node);
                return new TensorValue(node);
            }
            default:
                if (TryShapesOpCall(name, args, out var shapesValue)) return shapesValue;
                if (TryMathOpCall(name, args, out var mathValue)) return mathValue;
                if (TrySamplingOpCall(name, args, out var samplingValue)) return samplingValue;
                if (TryConvolutionOpCall(name, args, out var convolutionValue)) return convolutionValue;
                if (TryAttentionOpCall(name, args, out var attentionValue)) return attentionValue;
                throw Error(Descriptors.UnknownMethod, at, "Ops." + name);
        }
    }

    /// <summary>
    /// ReduceSum, and ReduceMean as reduce_sum ÷ count: a constant when the reduced dims are static,
    /// an element_count node when one is symbolic (known only at call time).
    /// </summary>
    private Value Reduce(bool mean, Arguments args)
    {
        var at = args.Call.Syntax;
        var x = TensorOf(args["x"], args.Syntax("x"));
        int[]? requested = args["axes"] is NullValue ? null : Ints(args["axes"], args.Syntax("axes"), "as an axis");
        bool keepDims = Bool(args["keepDims"], args.Syntax("keepDims"));
        return Tensor(at, () =>
        {
            var axes = ReduceSum.NormalizeAxes(requested, x.Shape.Rank, mean ? "reduce_mean" : "reduce_sum");
            var sum = _g.Apply("reduce_sum", new[] { x }, Attrs.Of(("axes", axes), ("keepdims", keepDims)));
            if (!mean) return sum;
            var reduced = axes.Select(a => x.Shape[a]).ToList();
            var count = reduced.All(d => d.IsStatic)
                ? _g.Constant(reduced.Aggregate(1.0, (p, d) => p * d.Size), x.DType)
                : _g.Apply("element_count", new[] { x }, Attrs.Of(("axes", axes), ("dtype", x.DType)));
            return _g.Div(sum, count);
        });
    }

    private Value InitializerCall(string name, Arguments args)
    {
        int? Seed() => args["seed"] is IntValue i ? (int)i.Value : null;
        double Arg(string p) => FloatOf(args[p], args.Syntax(p), "in an initializer");
        if (name is "RandomNormal" or "RandomUniform" or "TruncatedNormal")
        {
            var (first, second) = name == "RandomUniform" ? ("minval", "maxval") : ("mean", "stddev");
            var (a, aText) = InitArgument(args[first], args.Syntax(first));
            var (b, bText) = InitArgument(args[second], args.Syntax(second));
            var kind = name switch { "RandomNormal" => "random_normal", "RandomUniform" => "random_uniform", _ => "truncated_normal" };
            return new InitializerValue(kind, Array.Empty<double>(), a, b, Seed(), aText, bText);
        }
        return name switch
        {
            "Constant" when args.Has("value") => new InitializerValue("constant", new[] { Arg("value") }, 0, 0, null),
            "Constant" => new InitializerValue("constant", Floats(args["values"], args.Syntax("values")), 0, 0, null),
            "Zeros" => new InitializerValue("zeros", Array.Empty<double>(), 0, 0, null),
            "Ones" => new InitializerValue("ones", Array.Empty<double>(), 0, 0, null),
            "GlorotUniform" => new InitializerValue("glorot_uniform", Array.Empty<double>(), 0, 0, Seed()),
            _ => throw Error(Descriptors.UnknownMethod, args.Call.Syntax, "Init." + name),
        };
    }

    private TensorValue Tensor(SyntaxNode at, Func<Node> make) => new(At(at, make));

    private bool Bool(Value value, SyntaxNode at) =>
        value is BoolValue b ? b.Value : throw Error(Descriptors.NonConstantCondition, at, value.Describe());

    private int[] Ints(Value value, SyntaxNode at, string usage)
    {
        if (value is not ArrayValue array) throw Error(Descriptors.EvaluationError, at, $"expected an int array, got {value.Describe()}");
        return array.Items.Select(v => (int)IntOf(v, at, usage)).ToArray();
    }

    private double[] Floats(Value value, SyntaxNode at)
    {
        if (value is not ArrayValue array) throw Error(Descriptors.EvaluationError, at, $"expected a float array, got {value.Describe()}");
        return array.Items.Select(v => FloatOf(v, at, "as a constant")).ToArray();
    }

    /// <summary>A reshape target: static sizes, symbolic sizes passed through, and -1 (null) to infer.</summary>
    private IReadOnlyList<Dim?> Dims(Value value, SyntaxNode at)
    {
        if (value is not ArrayValue array) throw Error(Descriptors.EvaluationError, at, $"expected an int array, got {value.Describe()}");
        return array.Items.Select(v => v switch
        {
            SymbolicDimValue s => Dim.Sym(s.Symbol),
            IntValue { Value: -1 } => (Dim?)null,
            IntValue { Value: >= 0 } i => Dim.Of((int)i.Value),
            IntValue i => throw Error(Descriptors.ShapeError, at, $"reshape: dimension {i.Value} is negative (only -1, inferred, is allowed)"),
            _ => throw Error(Descriptors.EvaluationError, at, $"expected a dimension, got {v.Describe()}"),
        }).ToList();
    }
}
