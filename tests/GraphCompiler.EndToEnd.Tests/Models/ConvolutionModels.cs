using GraphCompiler;
using static GraphCompiler.Ops;

namespace GraphCompiler.EndToEnd.Tests.Models;

/// <summary>
/// Every window op in one network: a strided SAME convolution with a fused bias and relu, SAME max
/// pooling, VALID average pooling, a dilated VALID convolution (whose input gradient is needed) and
/// global average pooling, on odd image sizes.
/// </summary>
[Model(Optimizer = Optimizer.GradientDescent)]
public partial class ConvolutionModel
{
    static Tensor Network(Tensor x)
    {
        var h = Relu(Layers.Conv2D(x, 4, [3, 3], strides: [2, 2], padding: Padding.Same)); // [n, 4, 3, 4]
        h = MaxPool2D(h, [2, 2], strides: [1, 1], padding: Padding.Same);                   // [n, 4, 3, 4]
        h = Layers.AveragePooling2D(h, [2, 2], strides: [1, 1]);                             // [n, 3, 2, 4]
        h = Layers.Conv2D(h, 3, [2, 2], dilationRate: [2, 1]);                                // [n, 1, 1, 3]
        return GlobalAveragePooling2D(h);                                                     // [n, 3]
    }

    [Output]
    static Tensor Forward([Shape("n", 7, 6, 2)] Tensor x) => Network(x);

    [Loss]
    static Tensor Loss([Shape("n", 7, 6, 2)] Tensor x, [Shape("n", 3)] Tensor y) => ReduceMean(Square(Network(x) - y));
}

/// <summary>A Keras-style Sequential CNN: described convolution, batch-norm and pooling layers.</summary>
[Model(Optimizer = Optimizer.GradientDescent)]
public partial class SequentialCnnModel
{
    static Tensor Logits(Tensor x) => Layers.Sequential(x,
        Layers.Conv2D(4, [3, 3], padding: Padding.Same, useBias: false), Layers.BatchNormalization(), Layers.Conv2D(3, [2, 2], activation: Activation.Relu),
        Layers.MaxPooling2D([2, 2]), Layers.Flatten(), Layers.Dense(2));

    [Output]
    static Tensor Forward([Shape("n", 5, 5, 1)] Tensor x) => Logits(x);

    [Loss]
    static Tensor Loss([Shape("n", 5, 5, 1)] Tensor x, [Shape("n", DType = DType.Int32)] Tensor labels) =>
        ReduceMean(SparseSoftmaxCrossEntropyWithLogits(labels, Logits(x)));
}

/// <summary>A biased, strided convolution, batch normalization and relu: inference folds the normalization into the convolution.</summary>
[Model(Optimizer = Optimizer.GradientDescent)]
public partial class ConvBatchNormModel
{
    static Tensor Network(Tensor x) => Relu(Layers.BatchNormalization(Layers.Conv2D(x, 3, [3, 3], strides: [2, 2], padding: Padding.Same)));

    [Output]
    static Tensor Forward([Shape("n", 5, 7, 2)] Tensor x) => Network(x);

    [Loss]
    static Tensor Loss([Shape("n", 5, 7, 2)] Tensor x, [Shape("n", 3, 4, 3)] Tensor y) => ReduceMean(Square(Network(x) - y));
}

/// <summary>A strided SAME depthwise convolution with depth multiplier 2 (layer) and a dilated VALID one (op), on odd sizes.</summary>
[Model(Optimizer = Optimizer.GradientDescent)]
public partial class DepthwiseModel
{
    static Tensor Network(Tensor x)
    {
        var h = Layers.DepthwiseConv2D(x, [3, 3], strides: [2, 1], padding: Padding.Same, depthMultiplier: 2, activation: Activation.Relu); // [n, 3, 6, 4]
        using var _ = VariableScope("dilated", Reuse.Auto);
        var f = GetVariable("kernel", [2, 2, 4, 1], Init.GlorotUniform());
        return GlobalAveragePooling2D(DepthwiseConv2D(h, f, dilations: [1, 2]));                                                          // [n, 4]
    }

    [Output]
    static Tensor Forward([Shape("n", 5, 6, 2)] Tensor x) => Network(x);

    [Loss]
    static Tensor Loss([Shape("n", 5, 6, 2)] Tensor x, [Shape("n", 4)] Tensor y) => ReduceMean(Square(Network(x) - y));
}

/// <summary>Batch normalization straight on the input, so its statistics are the data's.</summary>
[Model(Optimizer = Optimizer.GradientDescent)]
public partial class BatchNormModel
{
    [Output]
    static Tensor Forward([Shape("n", 2, 2, 3)] Tensor x) => Layers.BatchNormalization(x);

    [Loss]
    static Tensor Loss([Shape("n", 2, 2, 3)] Tensor x, [Shape("n", 2, 2, 3)] Tensor y) => ReduceMean(Square(Layers.BatchNormalization(x) - y));
}

/// <summary>A pruned linear layer trained with Adam.</summary>
[Model(Optimizer = Optimizer.Adam)]
public partial class PrunedModel
{
    [Loss]
    static Tensor Loss([Shape("n", 6)] Tensor x, [Shape("n", 4)] Tensor y)
    {
        using var _ = VariableScope("dense", Reuse.Auto);
        var w = GetVariable("kernel", [6, 4], Init.RandomNormal(0f, 1f));
        return ReduceMean(Square(MatMul(x, Prune(w)) - y));
    }
}

/// <summary>
/// A biased convolution without activation read by an average pooling whose stride (3) exceeds its window
/// (2), SAME: the pooling runs in the convolution's store; on odd sizes.
/// </summary>
[Model(Optimizer = Optimizer.GradientDescent)]
public partial class ConvAvgPoolModel
{
    static Tensor Pooled(Tensor x) => AvgPool2D(Layers.Conv2D(x, 5, [2, 3]), [2, 2], strides: [3, 3], padding: Padding.Same); // [n, 2, 2, 5]

    [Output]
    static Tensor Forward([Shape("n", 7, 8, 3)] Tensor x) => Pooled(x);

    [Loss]
    static Tensor Loss([Shape("n", 7, 8, 3)] Tensor x, [Shape("n", 5)] Tensor y) => ReduceMean(Square(GlobalAveragePooling2D(Pooled(x)) - y));
}
