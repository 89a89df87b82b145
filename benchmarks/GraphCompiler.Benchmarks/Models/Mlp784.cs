using GraphCompiler;
using GraphCompiler.Benchmarks.Baselines;
using static GraphCompiler.Ops;

namespace GraphCompiler.Benchmarks.Models;

/// <summary>
/// <c>mlp_784_512_512_10</c>: an MNIST-sized multi-layer perceptron, 784 → ReLU 512 → ReLU 512 → 10,
/// Glorot-uniform weights and zero biases under <c>mlp/</c>, trained by gradient descent on the mean
/// softmax cross-entropy against integer labels (batch 128 in the benchmark).
/// </summary>
/// <remarks>Not compiled until <c>Relu</c> and <c>SparseSoftmaxCrossEntropyWithLogits</c> are in the op library.</remarks>
[Model(Optimizer = Optimizer.GradientDescent)]
public partial class Mlp784Model
{
    static Tensor Dense(Tensor x, int outputDim, string scope)
    {
        using var _ = VariableScope(scope);
        var w = GetVariable("weights", [x.Shape[1], outputDim], Init.GlorotUniform());
        var b = GetVariable("biases", [outputDim], Init.Zeros());
        return MatMul(x, w) + b;
    }

    [Loss]
    static Tensor Loss(
        [Shape("batch", Mlp784Shapes.Inputs)] Tensor x,
        [Shape("batch", DType = DType.Int32)] Tensor labels)
    {
        using var _ = VariableScope("mlp");
        var h1 = Relu(Dense(x, Mlp784Shapes.Hidden, "h1"));
        var h2 = Relu(Dense(h1, Mlp784Shapes.Hidden, "h2"));
        var logits = Dense(h2, Mlp784Shapes.Classes, "logits");
        return ReduceMean(SparseSoftmaxCrossEntropyWithLogits(labels, logits));
    }
}
