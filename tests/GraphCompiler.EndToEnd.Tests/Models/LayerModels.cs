using GraphCompiler;
using static GraphCompiler.Layers;
using static GraphCompiler.Ops;

namespace GraphCompiler.EndToEnd.Tests.Models;

/// <summary>A Keras-style classifier: Flatten, Dense with tanh, Dropout, Dense logits; gradient descent.</summary>
[Model(Optimizer = Optimizer.GradientDescent)]
public partial class LayerClassifier
{
    static Tensor Logits(Tensor x) => Sequential(x, Flatten(), Dense(5, Activation.Tanh), Dropout(0.5f), Dense(3));

    [Loss]
    static Tensor Loss([Shape("n", 2, 3)] Tensor x, [Shape("n", DType = DType.Int32)] Tensor labels) =>
        ReduceMean(SparseSoftmaxCrossEntropyWithLogits(labels, Logits(x)));

    [Output]
    static Tensor Predict([Shape("n", 2, 3)] Tensor x) => Logits(x);
}

/// <summary>An embedding bag regressed onto two targets: Embedding, Flatten, Dense; gradient descent.</summary>
[Model(Optimizer = Optimizer.GradientDescent)]
public partial class EmbeddingRegressor
{
    static Tensor Net(Tensor ids) => Dense(Flatten(Embedding(ids, 20, 4)), 2, Activation.Sigmoid);

    [Loss]
    static Tensor Loss([Shape("n", 3, DType = DType.Int32)] Tensor ids, [Shape("n", 2)] Tensor y) => MeanSquaredError(y, Net(ids));

    [Output]
    static Tensor Predict([Shape("n", 3, DType = DType.Int32)] Tensor ids) => Net(ids);
}

/// <summary>A model with a variable its loss never reaches: the smoke test names it.</summary>
[Model(Optimizer = Optimizer.GradientDescent)]
public partial class DisconnectedModel
{
    [Loss]
    static Tensor Loss([Shape("n", 3)] Tensor x, [Shape("n", 1)] Tensor y)
    {
        var unused = Variable("unused", [3], Init.Ones());
        return MeanSquaredError(y, Dense(x, 1)) + 0f * ReduceSum(StopGradient(unused));
    }
}

/// <summary>One dense unit regressed with Adam: its first update is about the learning rate per element.</summary>
[Model(Optimizer = Optimizer.Adam)]
public partial class AdamRegressor
{
    [Loss]
    static Tensor Loss([Shape("n", 3)] Tensor x, [Shape("n", 1)] Tensor y) => MeanSquaredError(y, Dense(x, 1));
}

/// <summary>An embedding bag trained with Adam: the dense Adam update of a sparse (row) gradient, repeated ids included.</summary>
[Model(Optimizer = Optimizer.Adam)]
public partial class AdamEmbeddingRegressor
{
    static Tensor Net(Tensor ids) => Dense(Flatten(Embedding(ids, 20, 4)), 2, Activation.Sigmoid);

    [Loss]
    static Tensor Loss([Shape("n", 3, DType = DType.Int32)] Tensor ids, [Shape("n", 2)] Tensor y) => MeanSquaredError(y, Net(ids));
}
