using GraphCompiler;
using static GraphCompiler.Layers;
using static GraphCompiler.Ops;

namespace Digits;

/// <summary>
/// A two-layer perceptron for 8×8 digits: 64 → 64 (ReLU) → 10, softmax cross-entropy, Adam; the train step
/// is also split at the gradient (ComputeGradients / ApplyGradients) for <c>--distributed</c>.
/// </summary>
[Model(Optimizer = Optimizer.Adam, GradientSet = true)]
public partial class DigitsModel
{
    // tf.keras.Sequential([Dense(64, activation='relu'), Dense(10)]): variables dense/kernel, dense/bias, dense_1/….
    static Tensor Logits(Tensor images) => Sequential(images,
        Dense(64, Activation.Relu),
        Dense(10));

    [Loss]
    static Tensor Loss([Shape("batch", 64)] Tensor images, [Shape("batch", DType = DType.Int32)] Tensor labels)
    {
        var loss = ReduceMean(SparseSoftmaxCrossEntropyWithLogits(labels, Logits(images)));
        Summary.Scalar("cross_entropy", loss);
        return loss;
    }

    /// <summary>The class scores (logits) of each image: what Fit's accuracy compares with the labels.</summary>
    [Output]
    static Tensor Predict([Shape("batch", 64)] Tensor images) => Logits(images);
}
