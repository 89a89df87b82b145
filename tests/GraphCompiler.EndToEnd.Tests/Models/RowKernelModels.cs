using GraphCompiler;
using static GraphCompiler.Ops;

namespace GraphCompiler.EndToEnd.Tests.Models;

/// <summary>
/// Whole-row computations that fuse into row kernels, over a symbolic row width m: softmax,
/// log-softmax, layer statistics and normalisation, and a train step through a dense softmax
/// cross-entropy and a layer normalisation (scalar variables, so any width trains).
/// </summary>
[Model(Optimizer = Optimizer.GradientDescent)]
public partial class RowKernelModel
{
    [Output]
    static Tensor Softmax([Shape("n", "m")] Tensor x) => Ops.Softmax(x);

    [Output]
    static Tensor LogSoftmax([Shape("n", "m")] Tensor x) => Ops.LogSoftmax(x);

    /// <summary>(x − mean) / √(variance + ε) over each row.</summary>
    static Tensor Normalise(Tensor x)
    {
        var (mean, variance) = Moments(x, [1], keepDims: true);
        return (x - mean) / Sqrt(variance + 1e-5f);
    }

    [Output]
    static Tensor LayerNorm([Shape("n", "m")] Tensor x) => Normalise(x);

    /// <summary>The per-row variance (a reduction that is also an output) next to the normalised rows.</summary>
    [Output]
    static Tensor Variance([Shape("n", "m")] Tensor x) => Moments(x, [1]).Variance;

    [Loss]
    static Tensor Loss([Shape("n", "m")] Tensor x, [Shape("n", "m")] Tensor labels)
    {
        using var _ = VariableScope("rows");
        var scale = GetVariable("scale", [1], Init.Constant(1.5f));
        var shift = GetVariable("shift", [1], Init.Constant(0.25f));
        var gain = GetVariable("gain", [1], Init.Constant(0.8f));
        var logits = x * scale + shift;
        var crossEntropy = ReduceMean(SoftmaxCrossEntropyWithLogits(labels, logits));
        return crossEntropy + 0.1f * ReduceMean(Square(Normalise(logits) * gain - labels));
    }
}

/// <summary>A linear classifier under the mean sparse softmax cross-entropy, as the MLP benchmark's head.</summary>
[Model(Optimizer = Optimizer.GradientDescent)]
public partial class SparseSoftmaxModel
{
    [Loss]
    static Tensor Loss([Shape("batch", 6)] Tensor x, [Shape("batch", DType = DType.Int32)] Tensor labels)
    {
        using var _ = VariableScope("classifier");
        var w = GetVariable("weights", [6, 10], Init.RandomUniform(-0.5f, 0.5f));
        var b = GetVariable("biases", [10], Init.RandomUniform(-0.1f, 0.1f));
        return ReduceMean(SparseSoftmaxCrossEntropyWithLogits(labels, MatMul(x, w) + b));
    }
}
