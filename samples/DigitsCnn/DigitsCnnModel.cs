using GraphCompiler;
using static GraphCompiler.Layers;
using static GraphCompiler.Ops;

namespace DigitsCnn;

/// <summary>
/// A small CNN for the 8×8 digits: Conv(3×3, 16) → ReLU → MaxPool(2) → Flatten → Dense(10), softmax
/// cross-entropy, Adam. Keras's variable names: <c>conv2d/kernel</c>, <c>conv2d/bias</c>, <c>dense/kernel</c>, <c>dense/bias</c>.
/// </summary>
[Model(Optimizer = Optimizer.Adam)]
public partial class DigitsCnnModel
{
    // tf.keras.Sequential([Conv2D(16, 3, activation="relu"), MaxPooling2D(2), Flatten(), Dense(10)])
    static Tensor Logits(Tensor images) => Sequential(Reshape(images, [-1, 8, 8, 1]),
        Conv2D(16, [3, 3], activation: Activation.Relu),   // [batch, 6, 6, 16]
        MaxPooling2D([2, 2]),                               // [batch, 3, 3, 16]
        Flatten(),                                          // [batch, 144]
        Dense(10));

    [Loss]
    static Tensor Loss([Shape("batch", 64)] Tensor images, [Shape("batch", DType = DType.Int32)] Tensor labels) =>
        ReduceMean(SparseSoftmaxCrossEntropyWithLogits(labels, Logits(images)));

    /// <summary>The predicted class of each image.</summary>
    [Output]
    static Tensor Predict([Shape("batch", 64)] Tensor images) => ArgMax(Logits(images), 1);
}

/// <summary>
/// The same CNN with batch normalization between the convolution and its ReLU (the convolution then
/// has no bias, as Keras models write it): the train step normalizes with each batch's statistics and
/// updates <c>batch_normalization/moving_mean</c> and <c>moving_variance</c>; Predict uses those.
/// </summary>
[Model(Optimizer = Optimizer.Adam)]
public partial class DigitsCnnBatchNormModel
{
    static Tensor Logits(Tensor images)
    {
        var h = Relu(Sequential(Reshape(images, [-1, 8, 8, 1]), Conv2D(16, [3, 3], useBias: false), BatchNormalization()));
        return Sequential(h, MaxPooling2D([2, 2]), Flatten(), Dense(10));
    }

    [Loss]
    static Tensor Loss([Shape("batch", 64)] Tensor images, [Shape("batch", DType = DType.Int32)] Tensor labels) =>
        ReduceMean(SparseSoftmaxCrossEntropyWithLogits(labels, Logits(images)));

    [Output]
    static Tensor Predict([Shape("batch", 64)] Tensor images) => ArgMax(Logits(images), 1);
}

/// <summary>
/// The CNN with its convolution and dense kernels pruned (<see cref="Ops.Prune"/>): the masks
/// <c>conv2d/kernel_mask</c> and <c>dense/kernel_mask</c> are set by the runtime's magnitude pruning.
/// </summary>
[Model(Optimizer = Optimizer.Adam)]
public partial class DigitsCnnPrunedModel
{
    static Tensor Logits(Tensor images)
    {
        var x = Reshape(images, [-1, 8, 8, 1]);
        Tensor h;
        using (var _ = VariableScope("conv2d", Reuse.Auto))
        {
            var kernel = GetVariable("kernel", [3, 3, 1, 16], Init.GlorotUniform());
            var bias = GetVariable("bias", [16], Init.Zeros());
            h = Relu(Conv2D(x, Prune(kernel)) + bias);
        }
        h = MaxPool2D(h, [2, 2]);
        using (var _ = VariableScope("dense", Reuse.Auto))
        {
            var kernel = GetVariable("kernel", [144, 10], Init.GlorotUniform());
            var bias = GetVariable("bias", [10], Init.Zeros());
            return MatMul(Flatten(h), Prune(kernel)) + bias;
        }
    }

    [Loss]
    static Tensor Loss([Shape("batch", 64)] Tensor images, [Shape("batch", DType = DType.Int32)] Tensor labels) =>
        ReduceMean(SparseSoftmaxCrossEntropyWithLogits(labels, Logits(images)));

    [Output]
    static Tensor Predict([Shape("batch", 64)] Tensor images) => ArgMax(Logits(images), 1);
}
