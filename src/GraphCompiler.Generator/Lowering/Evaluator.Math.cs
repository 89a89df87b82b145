using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Ops;
using GraphCompiler.Compiler.Ops.Composites;
using GraphCompiler.Generator.Diagnostics;
using Microsoft.CodeAnalysis;

namespace GraphCompiler.Generator.Lowering;

/// <summary>
/// Calls to the math family of <c>GraphCompiler.Ops</c> (elementwise math, activations, reductions,
/// losses, gradients and clipping): primitives by IR name, composites through <see cref="MathComposites"/>.
/// </summary>
internal sealed partial class Evaluator
{
    private static readonly Dictionary<string, string> MathUnary = new(StringComparer.Ordinal)
    {
        ["Abs"] = "abs", ["Sign"] = "sign", ["Exp"] = "exp", ["Log"] = "log", ["Log1p"] = "log1p",
        ["Sqrt"] = "sqrt", ["Rsqrt"] = "rsqrt", ["Reciprocal"] = "reciprocal", ["Sigmoid"] = "sigmoid",
        ["Tanh"] = "tanh", ["LogicalNot"] = "logical_not", ["StopGradient"] = "stop_gradient",
    };

    private static readonly Dictionary<string, string> MathBinary = new(StringComparer.Ordinal)
    {
        ["Pow"] = "pow", ["Maximum"] = "maximum", ["Minimum"] = "minimum",
        ["Equal"] = "equal", ["NotEqual"] = "not_equal", ["Less"] = "less", ["LessEqual"] = "less_equal",
        ["Greater"] = "greater", ["GreaterEqual"] = "greater_equal",
        ["LogicalAnd"] = "logical_and", ["LogicalOr"] = "logical_or", ["LogicalXor"] = "logical_xor",
    };

    private static readonly Dictionary<string, Func<GraphBuilder, Node, Node>> MathActivations = new(StringComparer.Ordinal)
    {
        ["Relu"] = MathComposites.Relu, ["Relu6"] = MathComposites.Relu6, ["Elu"] = MathComposites.Elu,
        ["Selu"] = MathComposites.Selu, ["Softplus"] = MathComposites.Softplus, ["Softsign"] = MathComposites.Softsign,
        ["Swish"] = MathComposites.Swish, ["L2Loss"] = MathComposites.L2Loss,
    };

    private bool TryMathOpCall(string name, Arguments args, out Value value)
    {
        var at = args.Call.Syntax;
        Node X(string p = "x") => TensorOf(args[p], args.Syntax(p));
        int[]? Axes() => args["axes"] is NullValue ? null : Ints(args["axes"], args.Syntax("axes"), "as an axis");
        bool KeepDims() => Bool(args["keepDims"], args.Syntax("keepDims"));
        int AxisArg() => (int)IntOf(args["axis"], args.Syntax("axis"), "as an axis");

        if (MathUnary.TryGetValue(name, out var unary))
        {
            var x = X();
            value = Tensor(at, () => _g.Apply(unary, new[] { x }));
            return true;
        }
        if (MathBinary.TryGetValue(name, out var binary))
        {
            var (a, b) = SameDType(X("x"), X("y"));
            value = Tensor(at, () => _g.Apply(binary, new[] { a, b }));
            return true;
        }
        if (MathActivations.TryGetValue(name, out var activation))
        {
            var x = X();
            value = Tensor(at, () => activation(_g, x));
            return true;
        }
        switch (name)
        {
            case "Where":
            case "Select":
            {
                var condition = X("condition");
                var (a, b) = SameDType(X("x"), X("y"));
                value = Tensor(at, () => _g.Apply("where", new[] { condition, a, b }));
                return true;
            }
            case "Cast":
            {
                var x = X();
                var dtype = DTypeOf(args["dtype"], args.Syntax("dtype"));
                value = Tensor(at, () => Cast.Apply(_g, x, dtype));
                return true;
            }
            case "LeakyRelu":
            {
                var x = X();
                double alpha = FloatOf(args["alpha"], args.Syntax("alpha"), "as the leaky slope");
                value = Tensor(at, () => MathComposites.LeakyRelu(_g, x, alpha));
                return true;
            }
            case "Gelu":
            {
                var x = X();
                bool approximate = Bool(args["approximate"], args.Syntax("approximate"));
                value = Tensor(at, () => MathComposites.Gelu(_g, x, approximate));
                return true;
            }
            case "Softmax":
            case "LogSoftmax":
            {
                var x = X("logits");
                int axis = AxisArg();
                value = Tensor(at, () => name == "Softmax" ? MathComposites.Softmax(_g, x, axis) : MathComposites.LogSoftmax(_g, x, axis));
                return true;
            }
            case "ReduceMax":
            case "ReduceMin":
            case "ReduceProd":
            case "ReduceVariance":
            case "ReduceLogSumExp":
            {
                var x = X();
                var requested = Axes();
                bool keep = KeepDims();
                value = Tensor(at, () =>
                {
                    var axes = ReduceSum.NormalizeAxes(requested, x.Shape.Rank, name);
                    return name switch
                    {
                        "ReduceVariance" => MathComposites.ReduceVariance(_g, x, axes, keep),
                        "ReduceLogSumExp" => MathComposites.ReduceLogSumExp(_g, x, axes, keep),
                        _ => MathComposites.Reduce(_g, name == "ReduceMax" ? "reduce_max" : name == "ReduceMin" ? "reduce_min" : "reduce_prod", x, axes, keep),
                    };
                });
                return true;
            }
            case "ArgMax":
            case "ArgMin":
            {
                var x = X();
                int axis = AxisArg();
                value = Tensor(at, () => _g.Apply(name == "ArgMax" ? "argmax" : "argmin", new[] { x }, Attrs.Of(("axis", MathComposites.Axis(axis, x.Shape.Rank, name)))));
                return true;
            }
            case "Moments":
            {
                var x = X();
                var requested = Axes();
                bool keep = KeepDims();
                Node variance = null!;
                var mean = At(at, () =>
                {
                    var (m, v) = MathComposites.Moments(_g, x, ReduceSum.NormalizeAxes(requested, x.Shape.Rank, "moments"), keep);
                    variance = v;
                    return m;
                });
                value = new TupleValue(new Value[] { new TensorValue(mean), new TensorValue(variance) });
                return true;
            }
            case "MeanSquaredError":
            case "SigmoidCrossEntropyWithLogits":
            {
                var labels = X("labels");
                var other = X(name == "MeanSquaredError" ? "predictions" : "logits");
                value = Tensor(at, () => name == "MeanSquaredError"
                    ? MathComposites.MeanSquaredError(_g, MathComposites.Retype(_g, labels, other.DType), other)
                    : MathComposites.SigmoidCrossEntropyWithLogits(_g, MathComposites.Retype(_g, labels, other.DType), other));
                return true;
            }
            case "SoftmaxCrossEntropyWithLogits":
            {
                var labels = X("labels");
                var logits = X("logits");
                int axis = AxisArg();
                value = Tensor(at, () => MathComposites.SoftmaxCrossEntropyWithLogits(_g, labels, logits, axis));
                return true;
            }
            case "SparseSoftmaxCrossEntropyWithLogits":
            {
                var labels = X("labels");
                var logits = X("logits");
                value = Tensor(at, () => MathComposites.SparseSoftmaxCrossEntropyWithLogits(_g, labels, logits));
                return true;
            }
            case "MaskedMean":
            {
                var values = X("values");
                var mask = X("mask");
                value = Tensor(at, () => MathComposites.MaskedMean(_g, values, mask));
                return true;
            }
            case "Dropout":
            case "DropoutKeep":
                value = new TensorValue(Dropout(X(), args, keep: name == "DropoutKeep"));
                return true;
            case "ClipByValue":
            {
                var x = X();
                var lo = MathComposites.Retype(_g, X("clipValueMin"), x.DType);
                var hi = MathComposites.Retype(_g, X("clipValueMax"), x.DType);
                value = Tensor(at, () => MathComposites.ClipByValue(_g, x, lo, hi));
                return true;
            }
            case "ClipByNorm":
            {
                var x = X();
                var clip = X("clipNorm");
                var requested = Axes();
                value = Tensor(at, () => MathComposites.ClipByNorm(_g, x, clip, requested is null ? null : ReduceSum.NormalizeAxes(requested, x.Shape.Rank, "clip_by_norm")));
                return true;
            }
            case "ClipByGlobalNorm":
            {
                var xs = TensorArray(args["xs"], args.Syntax("xs"));
                var clip = X("clipNorm");
                Node[] clipped = null!;
                var norm = At(at, () =>
                {
                    var (c, n) = MathComposites.ClipByGlobalNorm(_g, xs, clip);
                    clipped = c;
                    return n;
                });
                value = new TupleValue(new Value[] { TensorArrayValue(clipped), new TensorValue(norm) });
                return true;
            }
            case "Gradients":
                value = GradientsCall(args);
                return true;
            default:
                value = NullValue.Instance;
                return false;
        }
    }

    /// <summary>
    /// <c>Ops.Gradients</c>: differentiates at the call; an op without a gradient on the way is GC0410
    /// at the call, naming the op and the chain of nodes from an x to the y.
    /// </summary>
    private Value GradientsCall(Arguments args)
    {
        var at = args.Call.Syntax;
        var ys = TensorArray(args["ys"], args.Syntax("ys"));
        var xs = TensorArray(args["xs"], args.Syntax("xs"));
        var gradYs = args["gradYs"] is NullValue ? null : TensorArray(args["gradYs"], args.Syntax("gradYs"));
        Node[] grads = null!;
        try
        {
            At(at, () =>
            {
                grads = MathComposites.Gradients(_g, ys, xs, gradYs);
                return grads.Length > 0 ? grads[0] : ys[0];
            });
        }
        catch (GradientPathException e)
        {
            throw Error(Descriptors.NoGradientOnPath, at, e.Node.OpName, e.Node.Name, string.Join(" -> ", e.Path));
        }
        return TensorArrayValue(grads);
    }

    /// <summary>Two operands of one dtype: a scalar literal constant takes the other operand's dtype.</summary>
    private (Node A, Node B) SameDType(Node a, Node b) =>
        a.DType == b.DType ? (a, b) : (MathComposites.Retype(_g, a, b.DType), MathComposites.Retype(_g, b, a.DType));

    private Node[] TensorArray(Value value, SyntaxNode at) =>
        value is ArrayValue array
            ? array.Items.Select(v => TensorOf(v, at)).ToArray()
            : throw Error(Descriptors.EvaluationError, at, $"expected an array of tensors, got {value.Describe()}");

    private static ArrayValue TensorArrayValue(IEnumerable<Node> nodes) => new(nodes.Select(n => (Value)new TensorValue(n)).ToArray());

    /// <summary>Dropout with the rate (or, with <paramref name="keep"/>, the keep probability) and seed of <paramref name="args"/>; also the dropout layer's.</summary>
    private Node Dropout(Node x, Arguments args, bool keep)
    {
        var parameter = keep ? "keepProb" : "rate";
        double given = FloatOf(args[parameter], args.Syntax(parameter), keep ? "as the keep probability" : "as the dropout rate");
        // In decimal, so that DropoutKeep(x, 0.8f) is exactly Dropout(x, 0.2f) (the lowering keeps shortest decimal forms).
        double rate = !keep ? given : Math.Abs(given) < 1e6 ? (double)(1m - (decimal)given) : double.NaN;
        if (!(rate >= 0 && rate < 1))
            throw Error(Descriptors.ShapeError, args.Syntax(parameter), keep
                ? $"dropout: keepProb must be in (0, 1], got {given.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}"
                : $"dropout: rate must be in [0, 1), got {given.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}");
        long? seed = args["seed"] is IntValue s ? s.Value : null;
        return At(args.Call.Syntax, () => MathComposites.Dropout(_g, x, rate, seed));
    }
}
