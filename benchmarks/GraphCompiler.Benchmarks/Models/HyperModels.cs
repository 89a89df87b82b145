using GraphCompiler;
using static GraphCompiler.Ops;

namespace GraphCompiler.Benchmarks.Models;

/// <summary><see cref="TwoLayersModel"/> with its widths as [Hyper] dims, compiled once for every size.</summary>
[Model(Optimizer = Optimizer.GradientDescent)]
public partial class HyperTwoLayersModel
{
    [Hyper] public int Inputs { get; }

    [Hyper] public int Hidden { get; }

    [Hyper] public int Outputs { get; }

    static Tensor FullyConnected(Tensor x, int outputDim, string scope)
    {
        using var _ = VariableScope(scope, Reuse.Auto);
        var w = GetVariable("weights", [x.Shape[1], outputDim], Init.RandomNormal(0f, 0.1f));
        var b = GetVariable("biases", [outputDim], Init.Constant(0f));
        return MatMul(x, w) + b;
    }

    [Loss]
    Tensor Loss([Shape(TwoLayersModel.Batch, "Inputs")] Tensor x, [Shape(TwoLayersModel.Batch, "Outputs")] Tensor y)
    {
        using var _ = VariableScope("two_layers");
        var logits = FullyConnected(FullyConnected(x, Hidden, "h1"), Outputs, "h2");
        return ReduceMean(Square(logits - y));
    }
}

/// <summary><see cref="SkipGramNegativeModel"/> with its vocabulary and width as [Hyper] dims.</summary>
[Model(Optimizer = Optimizer.GradientDescent)]
public partial class HyperSkipGramNegativeModel
{
    [Hyper] public int Vocab { get; }

    [Hyper] public int Dim { get; }

    [Loss]
    Tensor Loss([Shape("batch", DType = DType.Int32)] Tensor centers, [Shape("batch", DType = DType.Int32)] Tensor contexts, [Shape("batch", "negatives", DType = DType.Int32)] Tensor negatives)
    {
        var embed = Variable("embed_matrix", [Vocab, Dim], Init.RandomUniform(-0.5f / Dim, 0.5f / Dim));
        var weights = Variable("nce_weight", [Vocab, Dim], Init.TruncatedNormal(0f, 0.088388346f));
        return ReduceMean(NegativeSamplingLoss(weights, contexts, negatives, EmbeddingLookup(embed, centers)));
    }
}
