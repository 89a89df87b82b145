using GraphCompiler;
using static GraphCompiler.Ops;

namespace Digits;

/// <summary>
/// A two-layer perceptron for 8×8 digits: 64 → 64 (ReLU) → 10, softmax cross-entropy, Adam; the train step
/// is also split at the gradient (ComputeGradients / ApplyGradients) for <c>--distributed</c>.
/// </summary>
[Model(Optimizer = Optimizer.Adam, GradientSet = true)]
public partial class DigitsModel
{
    static Tensor Logits(Tensor images)
    {
        Tensor hidden;
        using (var scope = VariableScope("hidden", Reuse.Auto))
        {
            var w = GetVariable("weights", [64, 64], Init.GlorotUniform());
            var b = GetVariable("biases", [64], Init.Zeros());
            hidden = Relu(MatMul(images, w) + b);
        }
        using (var scope = VariableScope("output", Reuse.Auto))
        {
            var w = GetVariable("weights", [64, 10], Init.GlorotUniform());
            var b = GetVariable("biases", [10], Init.Zeros());
            return MatMul(hidden, w) + b;
        }
    }

    [Loss]
    static Tensor Loss([Shape("batch", 64)] Tensor images, [Shape("batch", DType = DType.Int32)] Tensor labels)
    {
        var loss = ReduceMean(SparseSoftmaxCrossEntropyWithLogits(labels, Logits(images)));
        Summary.Scalar("cross_entropy", loss);
        return loss;
    }

    /// <summary>The predicted class of each image.</summary>
    [Output]
    static Tensor Predict([Shape("batch", 64)] Tensor images) => ArgMax(Logits(images), 1);
}
