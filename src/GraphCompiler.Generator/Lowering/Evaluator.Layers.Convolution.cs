using GraphCompiler.Compiler.IR;
using GraphCompiler.Generator.Diagnostics;
using GraphCompiler.Generator.Pipeline;
using ConvolutionOps = GraphCompiler.Compiler.Ops.Composites.Convolution;
using NormalizationOps = GraphCompiler.Compiler.Ops.Composites.Normalization;

namespace GraphCompiler.Generator.Lowering;

/// <summary>
/// Calls to <c>GraphCompiler.Layers</c>: the convolution layers (Conv2D, MaxPooling2D, AveragePooling2D,
/// BatchNormalization) with Keras's variable names. A layer's variables live under its name inside the
/// current variable scope; an existing variable of that full name is fetched (same shape), as
/// <c>GetVariable</c> under <c>Reuse.Auto</c> would.
/// </summary>
internal sealed partial class Evaluator
{
    /// <summary>Keras's default layer names per model method: <c>conv2d</c>, <c>conv2d_1</c>, ….</summary>
    private readonly Dictionary<string, int> _layerNames = new(StringComparer.Ordinal);

    private Value LayerCall(string name, Arguments args)
    {
        var at = args.Call.Syntax;
        Node X() => TensorOf(args["x"], args.Syntax("x"));
        int[]? OptionalInts(string p, string usage) => args[p] is NullValue ? null : Ints(args[p], args.Syntax(p), usage);
        bool Same() => IntOf(args["padding"], args.Syntax("padding"), "as a padding") == GraphCompilerPaddingSame;
        switch (name)
        {
            case "Conv2D":
            {
                var x = X();
                int filters = (int)IntOf(args["filters"], args.Syntax("filters"), "as a number of filters");
                var kernel = Ints(args["kernelSize"], args.Syntax("kernelSize"), "as a kernel size");
                var strides = OptionalInts("strides", "as a stride");
                var dilations = OptionalInts("dilationRate", "as a dilation");
                bool same = Same(), useBias = Bool(args["useBias"], args.Syntax("useBias"));
                if (x.Shape.Rank != 4 || !x.Shape[3].IsStatic)
                    throw Error(Descriptors.ShapeError, args.Syntax("x"), $"conv2d: the input must be NHWC with static channels, got {x.Shape}");
                if (filters < 1 || kernel.Length is not (1 or 2) || kernel.Any(k => k < 1))
                    throw Error(Descriptors.ShapeError, at, "conv2d: filters must be positive and kernelSize one or two positive sizes");
                var layer = LayerName(args, "conv2d");
                int kh = kernel[0], kw = kernel[kernel.Length - 1];
                var w = LayerVariable(layer, "kernel", Shape.Of(kh, kw, x.Shape[3].Size, filters), new InitSpec("glorot_uniform", Array.Empty<double>(), 0, 0, _ctx.Variables.Count + 1), true, at);
                var b = useBias ? LayerVariable(layer, "bias", Shape.Of(filters), InitSpec.Zeros, true, at) : null;
                return new TensorValue(ShapeAt(at, () => Scoped(layer, () =>
                {
                    var y = ConvolutionOps.Conv2D(_g, x, w, strides, same, dilations);
                    return b is null ? y : _g.Add(y, b);
                })));
            }
            case "MaxPooling2D":
            case "AveragePooling2D":
            {
                var x = X();
                var pool = Ints(args["poolSize"], args.Syntax("poolSize"), "as a pool size");
                var strides = OptionalInts("strides", "as a stride");
                bool same = Same();
                var layer = LayerName(args, name == "MaxPooling2D" ? "max_pooling2d" : "average_pooling2d");
                return new TensorValue(ShapeAt(at, () => Scoped(layer, () => name == "MaxPooling2D"
                    ? ConvolutionOps.MaxPool2D(_g, x, pool, strides, same)
                    : ConvolutionOps.AvgPool2D(_g, x, pool, strides, same))));
            }
            case "BatchNormalization":
            {
                var x = X();
                double momentum = FloatOf(args["momentum"], args.Syntax("momentum"), "as a momentum");
                double epsilon = FloatOf(args["epsilon"], args.Syntax("epsilon"), "as an epsilon");
                if (x.Shape.Rank < 2 || !x.Shape[x.Shape.Rank - 1].IsStatic)
                    throw Error(Descriptors.ShapeError, args.Syntax("x"), $"batch_normalization: the input needs static channels on its last axis, got {x.Shape}");
                var layer = LayerName(args, "batch_normalization");
                var channels = Shape.Of(x.Shape[x.Shape.Rank - 1].Size);
                var gamma = LayerVariable(layer, "gamma", channels, InitSpec.Constant(1), true, at);
                var beta = LayerVariable(layer, "beta", channels, InitSpec.Zeros, true, at);
                var mean = LayerVariable(layer, "moving_mean", channels, InitSpec.Zeros, false, at);
                var variance = LayerVariable(layer, "moving_variance", channels, InitSpec.Constant(1), false, at);
                return new TensorValue(ShapeAt(at, () => Scoped(layer, () => NormalizationOps.BatchNormalization(_g, x, gamma, beta, mean, variance, momentum, epsilon))));
            }
            default:
                throw Error(Descriptors.UnknownMethod, at, "Layers." + name);
        }
    }

    /// <summary>The layer's scope name: the <c>name</c> argument, or Keras's default numbered per model method.</summary>
    private string LayerName(Arguments args, string kind)
    {
        if (args.Has("name") && args["name"] is not NullValue) return Name(args, "name", "layer");
        _layerNames.TryGetValue(kind, out var n);
        _layerNames[kind] = n + 1;
        return n == 0 ? kind : kind + "_" + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The variable <c>scope/layer/name</c>: fetched when it exists with this shape, else created.</summary>
    private Node LayerVariable(string layer, string name, Shape shape, InitSpec init, bool trainable, Microsoft.CodeAnalysis.SyntaxNode at)
    {
        var scope = CurrentVariableScope.VariableScopeName;
        var fullName = (scope.Length == 0 ? "" : scope + "/") + layer + "/" + name;
        if (_ctx.Variables.TryGet(fullName, out var existing))
        {
            if (!existing.Info.Shape.Equals(shape))
                throw new LoweringException(DiagnosticInfo.Create(Descriptors.VariableConflict, LocationInfo.From(at), fullName,
                    existing.Info.DType.ShortName() + shape, existing.Info.DType.ShortName() + existing.Info.Shape).WithAdditional(existing.Origin));
            return At(at, () => _g.Variable(existing.Info));
        }
        var info = new VariableInfo(fullName, DType.Float32, shape, init, trainable, _ctx.Span(at));
        _ctx.Variables.Add(info, LocationInfo.From(at), at, byGetVariable: true, CallSites);
        return At(at, () => _g.Variable(info));
    }

    /// <summary>Builds a layer's ops under its name scope (<c>conv2d/Conv2D</c>, as TensorFlow's graphs show).</summary>
    private Node Scoped(string layer, Func<Node> make)
    {
        _g.PushNameScope(layer);
        try
        {
            return make();
        }
        finally
        {
            _g.PopNameScope();
        }
    }
}
