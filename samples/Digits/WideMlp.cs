using GraphCompiler;
using static GraphCompiler.Ops;

namespace Digits;

/// <summary>
/// The MLP 784-512-512-10 (MNIST-sized) that the distributed benchmark times: ReLU, mean sparse softmax
/// cross-entropy, Adam, the train step split at the gradient for data-parallel training.
/// </summary>
[Model(Optimizer = Optimizer.Adam, GradientSet = true)]
public partial class WideMlp
{
    static Tensor Dense(Tensor x, int units, string scope)
    {
        using var _ = VariableScope(scope);
        var w = GetVariable("weights", [x.Shape[1], units], Init.GlorotUniform());
        var b = GetVariable("biases", [units], Init.Zeros());
        return MatMul(x, w) + b;
    }

    [Loss]
    static Tensor Loss([Shape("batch", 784)] Tensor images, [Shape("batch", DType = DType.Int32)] Tensor labels)
    {
        var h1 = Relu(Dense(images, 512, "h1"));
        var h2 = Relu(Dense(h1, 512, "h2"));
        return ReduceMean(SparseSoftmaxCrossEntropyWithLogits(labels, Dense(h2, 10, "output")));
    }
}
