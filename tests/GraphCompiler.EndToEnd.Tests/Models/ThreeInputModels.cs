using GraphCompiler;
using static GraphCompiler.Layers;
using static GraphCompiler.Ops;

namespace GraphCompiler.EndToEnd.Tests.Models;

/// <summary>
/// A classifier whose loss takes three inputs, the Int32 labels last: features, a per-feature gate and the
/// labels. Its Predict takes the first two, so Fit's accuracy metrics can classify a batch.
/// </summary>
[Model(Optimizer = Optimizer.GradientDescent)]
public partial class GatedClassifier
{
    static Tensor Logits(Tensor x, Tensor gate) => Dense(Flatten(x * gate), 3);

    [Loss]
    static Tensor Loss([Shape("n", 2, 3)] Tensor x, [Shape("n", 2, 3)] Tensor gate, [Shape("n", DType = DType.Int32)] Tensor labels) =>
        ReduceMean(SparseSoftmaxCrossEntropyWithLogits(labels, Logits(x, gate)));

    [Output]
    static Tensor Predict([Shape("n", 2, 3)] Tensor x, [Shape("n", 2, 3)] Tensor gate) => Logits(x, gate);
}

/// <summary>A weighted regression over four inputs: features, targets, per-example weights and an offset.</summary>
[Model(Optimizer = Optimizer.Adam)]
public partial class WeightedRegressor
{
    [Loss]
    static Tensor Loss([Shape("n", 3)] Tensor x, [Shape("n", 1)] Tensor y, [Shape("n", 1)] Tensor weight, [Shape("n", 1)] Tensor offset) =>
        ReduceMean(weight * Square(Dense(x, 1) + offset - y));
}
