using GraphCompiler.Compiler.IR;
using ConvolutionOps = GraphCompiler.Compiler.Ops.Composites.Convolution;
using NormalizationOps = GraphCompiler.Compiler.Ops.Composites.Normalization;

namespace GraphCompiler.Generator.Lowering;

/// <summary>
/// The convolution family of <c>GraphCompiler.Ops</c> (Conv2D, MaxPool2D, AvgPool2D,
/// GlobalAveragePooling2D) and BatchNormalization: compile-time strides, dilations, window sizes and padding, then one window op
/// each through <see cref="ConvolutionOps"/>. Geometry errors are GC0200 at the call.
/// </summary>
internal sealed partial class Evaluator
{
    private bool TryConvolutionOpCall(string name, Arguments args, out Value value)
    {
        var at = args.Call.Syntax;
        Node X(string p) => TensorOf(args[p], args.Syntax(p));
        int[]? OptionalInts(string p, string usage) => args[p] is NullValue ? null : Ints(args[p], args.Syntax(p), usage);
        bool Same() => IntOf(args["padding"], args.Syntax("padding"), "as a padding") == GraphCompilerPaddingSame;
        switch (name)
        {
            case "Conv2D":
            {
                var x = X("x");
                var filters = X("filters");
                // The kernels are float32 only; the reference interpreter would run float64, the generated code could not.
                if (x.DType == DType.Float64 || filters.DType == DType.Float64)
                    throw Error(Diagnostics.Descriptors.ConvolutionNotFloat32, at, "conv2d",
                        $"{x.DType.ShortName()}{x.Shape} and {filters.DType.ShortName()}{filters.Shape}");
                var strides = OptionalInts("strides", "as a stride");
                var dilations = OptionalInts("dilations", "as a dilation");
                bool same = Same();
                value = new TensorValue(ShapeAt(at, () => ConvolutionOps.Conv2D(_g, x, filters, strides, same, dilations)));
                return true;
            }
            case "DepthwiseConv2D":
            {
                var x = X("x");
                var filters = X("filters");
                var strides = OptionalInts("strides", "as a stride");
                var dilations = OptionalInts("dilations", "as a dilation");
                bool same = Same();
                value = new TensorValue(ShapeAt(at, () => ConvolutionOps.DepthwiseConv2D(_g, x, filters, strides, same, dilations)));
                return true;
            }
            case "MaxPool2D":
            case "AvgPool2D":
            {
                var x = X("x");
                var pool = Ints(args["poolSize"], args.Syntax("poolSize"), "as a pool size");
                var strides = OptionalInts("strides", "as a stride");
                bool same = Same();
                value = new TensorValue(ShapeAt(at, () => name == "MaxPool2D"
                    ? ConvolutionOps.MaxPool2D(_g, x, pool, strides, same)
                    : ConvolutionOps.AvgPool2D(_g, x, pool, strides, same)));
                return true;
            }
            case "GlobalAveragePooling2D":
            {
                var x = X("x");
                value = new TensorValue(ShapeAt(at, () => ConvolutionOps.GlobalAveragePooling2D(_g, x)));
                return true;
            }
            case "BatchNormalization":
            {
                var x = X("x");
                Node gamma = X("gamma"), beta = X("beta"), mean = X("movingMean"), variance = X("movingVariance");
                foreach (var p in new[] { "movingMean", "movingVariance" })
                    if (TensorOf(args[p], args.Syntax(p)).OpName != "variable")
                        throw Error(Diagnostics.Descriptors.ShapeError, args.Syntax(p), $"batch_normalization: {p} must be a variable (the train step assigns it)");
                double momentum = FloatOf(args["momentum"], args.Syntax("momentum"), "as a momentum");
                double epsilon = FloatOf(args["epsilon"], args.Syntax("epsilon"), "as an epsilon");
                value = new TensorValue(ShapeAt(at, () => NormalizationOps.BatchNormalization(_g, x, gamma, beta, mean, variance, momentum, epsilon)));
                return true;
            }
            default:
                value = null!;
                return false;
        }
    }

    /// <summary><c>GraphCompiler.Padding.Same</c>'s value (the generator does not reference the user API).</summary>
    private const int GraphCompilerPaddingSame = 1;
}
