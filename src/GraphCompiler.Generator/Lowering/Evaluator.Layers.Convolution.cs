using GraphCompiler.Compiler.IR;
using GraphCompiler.Generator.Diagnostics;
using ConvolutionOps = GraphCompiler.Compiler.Ops.Composites.Convolution;
using NormalizationOps = GraphCompiler.Compiler.Ops.Composites.Normalization;

namespace GraphCompiler.Generator.Lowering;

/// <summary>
/// The convolution layers of <c>GraphCompiler.Layers</c> (Conv2D, MaxPooling2D, AveragePooling2D,
/// BatchNormalization), applied by <see cref="ApplyLayer"/> inside their layer scope (Evaluator.LayerScope.cs)
/// like Dense: Keras's variable names, shared across entry methods.
/// </summary>
internal sealed partial class Evaluator
{
    private Node ApplyConvolutionLayer(LayerValue layer, Node x)
    {
        var args = (Arguments)layer.Arguments;
        var at = args.Call.Syntax;
        int[]? OptionalInts(string p, string usage) => args[p] is NullValue ? null : Ints(args[p], args.Syntax(p), usage);
        bool Same() => IntOf(args["padding"], args.Syntax("padding"), "as a padding") == GraphCompilerPaddingSame;
        var kind = LayerKinds[layer.Kind];
        switch (layer.Kind)
        {
            case "Conv2D":
            case "DepthwiseConv2D":
            {
                bool depthwise = layer.Kind == "DepthwiseConv2D";
                int filters = (int)IntOf(args[depthwise ? "depthMultiplier" : "filters"], args.Syntax(depthwise ? "depthMultiplier" : "filters"), depthwise ? "as a depth multiplier" : "as a number of filters");
                var kernel = Ints(args["kernelSize"], args.Syntax("kernelSize"), "as a kernel size");
                var strides = OptionalInts("strides", "as a stride");
                var dilations = OptionalInts("dilationRate", "as a dilation");
                long activation = IntOf(args["activation"], args.Syntax("activation"), "as an activation");
                bool same = Same(), useBias = Bool(args["useBias"], args.Syntax("useBias"));
                if (x.Shape.Rank != 4 || !x.Shape[3].IsStatic)
                    throw Error(Descriptors.ShapeError, at, $"{kind}: the input must be NHWC with static channels, got {x.Shape}");
                if (filters < 1 || kernel.Length is not (1 or 2) || kernel.Any(k => k < 1))
                    throw Error(Descriptors.ShapeError, at, $"{kind}: {(depthwise ? "depthMultiplier" : "filters")} must be positive and kernelSize one or two positive sizes");
                int kh = kernel[0], kw = kernel[kernel.Length - 1];
                return InLayerScope(layer, kind, () =>
                {
                    var w = LayerVariable(depthwise ? "depthwise_kernel" : "kernel", Shape.Of(kh, kw, x.Shape[3].Size, filters), RandomInit("glorot_uniform"), true, at);
                    var b = useBias ? LayerVariable("bias", Shape.Of(depthwise ? x.Shape[3].Size * filters : filters), () => InitSpec.Zeros, true, at) : null;
                    return ShapeAt(at, () =>
                    {
                        var y = depthwise
                            ? ConvolutionOps.DepthwiseConv2D(_g, x, w, strides, same, dilations)
                            : ConvolutionOps.Conv2D(_g, x, w, strides, same, dilations);
                        return Activate(b is null ? y : _g.Add(y, b), activation, args.Syntax("activation"));
                    });
                });
            }
            case "MaxPooling2D":
            case "AveragePooling2D":
            {
                var pool = Ints(args["poolSize"], args.Syntax("poolSize"), "as a pool size");
                var strides = OptionalInts("strides", "as a stride");
                bool same = Same();
                return InLayerScope(layer, kind, () => ShapeAt(at, () => layer.Kind == "MaxPooling2D"
                    ? ConvolutionOps.MaxPool2D(_g, x, pool, strides, same)
                    : ConvolutionOps.AvgPool2D(_g, x, pool, strides, same)));
            }
            case "BatchNormalization":
            {
                double momentum = FloatOf(args["momentum"], args.Syntax("momentum"), "as a momentum");
                double epsilon = FloatOf(args["epsilon"], args.Syntax("epsilon"), "as an epsilon");
                if (x.Shape.Rank < 2 || !x.Shape[x.Shape.Rank - 1].IsStatic)
                    throw Error(Descriptors.ShapeError, at, $"batch_normalization: the input needs static channels on its last axis, got {x.Shape}");
                var channels = Shape.Of(x.Shape[x.Shape.Rank - 1].Size);
                return InLayerScope(layer, kind, () =>
                {
                    var gamma = LayerVariable("gamma", channels, () => InitSpec.Constant(1), true, at);
                    var beta = LayerVariable("beta", channels, () => InitSpec.Zeros, true, at);
                    var mean = LayerVariable("moving_mean", channels, () => InitSpec.Zeros, false, at);
                    var variance = LayerVariable("moving_variance", channels, () => InitSpec.Constant(1), false, at);
                    return ShapeAt(at, () => NormalizationOps.BatchNormalization(_g, x, gamma, beta, mean, variance, momentum, epsilon));
                });
            }
            default:
                throw Error(Descriptors.UnknownMethod, at, "Layers." + layer.Kind);
        }
    }
}
