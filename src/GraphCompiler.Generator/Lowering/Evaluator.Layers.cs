using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Ops;
using GraphCompiler.Compiler.Ops.Composites;
using GraphCompiler.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using ShapeOps = GraphCompiler.Compiler.Ops.Composites.Shapes;

namespace GraphCompiler.Generator.Lowering;

/// <summary>
/// Calls to <c>GraphCompiler.Layers</c> and <c>Layer.Apply</c>: a layer called with its input is
/// applied at once; called without, it becomes a <see cref="LayerValue"/> that <c>Sequential</c> or
/// <c>Apply</c> applies later. Both go through <see cref="ApplyLayer"/>.
/// </summary>
internal sealed partial class Evaluator
{
    /// <summary>Each layer's input parameter, present in its applying overload only.</summary>
    private static readonly Dictionary<string, string> LayerInputs = new(StringComparer.Ordinal)
    {
        ["Dense"] = "x", ["Embedding"] = "ids", ["Flatten"] = "x",
    };

    /// <summary>The Keras name of each layer kind, the default name of its variable scope.</summary>
    private static readonly Dictionary<string, string> LayerKinds = new(StringComparer.Ordinal)
    {
        ["Dense"] = "dense", ["Embedding"] = "embedding", ["Flatten"] = "flatten", ["Dropout"] = "dropout",
    };

    private static readonly HashSet<string> ConvolutionLayers = new(StringComparer.Ordinal)
    {
        "Conv2D", "MaxPooling2D", "AveragePooling2D", "BatchNormalization",
    };

    private Value LayersCall(string name, Arguments args)
    {
        var at = args.Call.Syntax;
        if (name == "Sequential")
        {
            var x = TensorOf(args["x"], args.Syntax("x"));
            if (args["layers"] is not ArrayValue layers) throw Error(Descriptors.EvaluationError, args.Syntax("layers"), $"expected layers, got {args["layers"].Describe()}");
            foreach (var item in layers.Items)
            {
                if (item is not LayerValue layer) throw Error(Descriptors.EvaluationError, args.Syntax("layers"), $"expected a layer, got {item.Describe()}");
                x = ApplyLayer(layer, x);
            }
            return new TensorValue(x);
        }
        // The convolution layers (Evaluator.Layers.Convolution.cs) are applied at once only.
        if (ConvolutionLayers.Contains(name)) return LayerCall(name, args);
        if (AttentionLayers.Contains(name)) return AttentionLayerCall(name, args);
        if (!LayerKinds.ContainsKey(name)) throw Error(Descriptors.UnknownMethod, at, "Layers." + name);
        var described = new LayerValue(name, args, args["name"] is StringValue ? LayerName(args) : null);
        if (!LayerInputs.TryGetValue(name, out var input) || !args.Has(input)) return described;
        return new TensorValue(ApplyLayer(described, TensorOf(args[input], args.Syntax(input))));
    }

    /// <summary><c>layer.Apply(x)</c>.</summary>
    private Value LayerMethod(IInvocationOperation call)
    {
        if (call.TargetMethod.Name != "Apply" || call.Instance is null) throw Error(Descriptors.UnknownMethod, call.Syntax, call.TargetMethod.ToDisplayString());
        if (Eval(call.Instance) is not LayerValue layer) throw Error(Descriptors.EvaluationError, call.Instance.Syntax, "the layer is null");
        var args = Bind(call);
        return new TensorValue(ApplyLayer(layer, TensorOf(args["x"], args.Syntax("x"))));
    }

    private Node ApplyLayer(LayerValue layer, Node x)
    {
        var args = (Arguments)layer.Arguments;
        var at = args.Call.Syntax;
        switch (layer.Kind)
        {
            case "Dense":
            {
                int units = (int)IntOf(args["units"], args.Syntax("units"), "as a layer's units");
                if (units < 1) throw Error(Descriptors.ShapeError, args.Syntax("units"), $"dense: units must be at least 1, got {units}");
                long activation = IntOf(args["activation"], args.Syntax("activation"), "as an activation");
                bool useBias = Bool(args["useBias"], args.Syntax("useBias"));
                if (x.Shape.Rank < 2) throw Error(Descriptors.ShapeError, at, $"dense: the input must have a batch axis and a feature axis (rank ≥ 2), got {x.DType.ShortName()}{x.Shape}");
                var inputs = x.Shape[x.Shape.Rank - 1];
                if (!inputs.IsStatic)
                    throw Error(Descriptors.VariableShapeNotStatic, at, "kernel", $"the input's last dimension is the symbolic size '{inputs}', known only at call time (a dense layer needs its input size)");
                return InLayerScope(layer, LayerKinds[layer.Kind], () =>
                {
                    var kernel = LayerVariable("kernel", Shape.Of(inputs.Size, units), "glorot_uniform", 0, 0, at);
                    var bias = useBias ? LayerVariable("bias", Shape.Of(units), "zeros", 0, 0, at) : null;
                    return At(at, () =>
                    {
                        var y = _g.Apply("matmul", new[] { x, kernel }, MatMul.Flags(false, false));
                        if (bias is not null) y = _g.Apply("add", new[] { y, bias });
                        return Activate(y, activation, args.Syntax("activation"));
                    });
                });
            }
            case "Embedding":
            {
                int inputDim = (int)IntOf(args["inputDim"], args.Syntax("inputDim"), "as an embedding's input size");
                int outputDim = (int)IntOf(args["outputDim"], args.Syntax("outputDim"), "as an embedding's output size");
                if (inputDim < 1 || outputDim < 1)
                    throw Error(Descriptors.ShapeError, at, $"embedding: inputDim and outputDim must be at least 1, got {inputDim} and {outputDim}");
                return InLayerScope(layer, LayerKinds[layer.Kind], () =>
                {
                    var table = LayerVariable("embeddings", Shape.Of(inputDim, outputDim), "random_uniform", -0.05, 0.05, at);
                    return At(at, () => ShapeOps.EmbeddingLookup(_g, table, x));
                });
            }
            case "Dropout":
                return Dropout(x, args, keep: false);
            case "Flatten":
                return At(at, () =>
                {
                    if (x.Shape.Rank == 0) throw new ShapeException("flatten: the input must have a batch axis, got a scalar");
                    var requested = new List<Dim?> { x.Shape[0], x.Shape.Rank == 1 ? Dim.Of(1) : null };
                    return _g.Apply("reshape", new[] { x }, Attrs.Of(("shape", Compiler.Ops.Reshape.Resolve(x.Shape, requested))));
                });
            default:
                throw Error(Descriptors.UnknownMethod, at, "Layers." + layer.Kind);
        }
    }

    /// <summary>The <c>Activation</c> enum's values, in order, as the ops of the same names.</summary>
    private Node Activate(Node y, long activation, SyntaxNode at) => activation switch
    {
        0 => y,
        1 => MathComposites.Relu(_g, y),
        2 => _g.Apply("sigmoid", new[] { y }),
        3 => _g.Apply("tanh", new[] { y }),
        4 => MathComposites.Softmax(_g, y, -1),
        5 => MathComposites.Elu(_g, y),
        6 => MathComposites.Selu(_g, y),
        7 => MathComposites.Gelu(_g, y, approximate: false),
        8 => MathComposites.Swish(_g, y),
        9 => MathComposites.Softplus(_g, y),
        10 => MathComposites.Relu6(_g, y),
        _ => throw Error(Descriptors.EvaluationError, at, $"{activation} is not an Activation"),
    };

    private string LayerName(Arguments args) => Name(args, "name", "layer");
}
