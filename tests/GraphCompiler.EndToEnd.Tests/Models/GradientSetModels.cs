using GraphCompiler;
using static GraphCompiler.Ops;

namespace GraphCompiler.EndToEnd.Tests.Models;

/// <summary>
/// The lecture's two-layer network under scopes, trained with Adam, with the train step split at the
/// gradient: <c>ComputeGradients</c> / <c>ApplyGradients</c> and a gradient set typed by scope.
/// </summary>
[Model(Optimizer = Optimizer.Adam, GradientSet = true)]
public partial class GradientSetMlp
{
    static Tensor FullyConnected(Tensor x, int outputDim, string scope)
    {
        using var _ = VariableScope(scope);
        var w = GetVariable("weights", [x.Shape[1], outputDim], Init.RandomNormal(0f, 0.5f));
        var b = GetVariable("biases", [outputDim], Init.Constant(0.1f));
        return MatMul(x, w) + b;
    }

    [Loss]
    static Tensor Loss([Shape("batch", 6)] Tensor x, [Shape("batch", DType = DType.Int32)] Tensor labels)
    {
        using var _ = VariableScope("two_layers");
        var h1 = Relu(FullyConnected(x, 8, "h1"));
        return ReduceMean(SparseSoftmaxCrossEntropyWithLogits(labels, FullyConnected(h1, 4, "h2")));
    }
}

/// <summary>An embedding lookup (a sparse gradient, densified in the gradient set) with plain SGD.</summary>
[Model(Optimizer = Optimizer.GradientDescent, GradientSet = true)]
public partial class GradientSetEmbedding
{
    [Loss]
    static Tensor Loss([Shape("batch", DType = DType.Int32)] Tensor ids, [Shape("batch", 3)] Tensor targets)
    {
        var table = Variable("table", [7, 3], Init.RandomUniform(-1f, 1f));
        return ReduceMean(Square(EmbeddingLookup(table, ids) - targets));
    }
}

/// <summary>Dropout and a global-norm clip: the split step keys dropout as the train step does and clips the summed gradients.</summary>
[Model(Optimizer = Optimizer.Momentum, ClipGlobalNorm = 0.5f, GradientSet = true)]
public partial class GradientSetDropout
{
    [Loss]
    static Tensor Loss([Shape("batch", 5)] Tensor x, [Shape("batch", 2)] Tensor y)
    {
        var w = Variable("w", [5, 2], Init.RandomNormal(0f, 1f));
        return ReduceMean(Square(MatMul(Dropout(x, 0.3f), w) - y));
    }
}

/// <summary>An embedding and a projection whose sizes are hyperparameters (one derived), with Adam: the gradient set is sized at construction.</summary>
[Model(Optimizer = Optimizer.Adam, GradientSet = true)]
public partial class HyperGradientSetModel
{
    [Hyper] public int Vocab { get; }

    [Hyper] public int Dim { get; }

    [Loss]
    Tensor Loss([Shape("batch", DType = DType.Int32)] Tensor ids, [Shape("batch", 2)] Tensor targets)
    {
        var embed = Variable("embed", [Vocab, Dim], Init.RandomUniform(-1f, 1f));
        var hidden = Variable("hidden", [Dim, Dim + 1], Init.RandomNormal(0f, 0.5f));
        var out_ = Variable("out", [Dim + 1, 2], Init.RandomNormal(0f, 0.5f));
        return ReduceMean(Square(MatMul(Tanh(MatMul(EmbeddingLookup(embed, ids), hidden)), out_) - targets));
    }
}
