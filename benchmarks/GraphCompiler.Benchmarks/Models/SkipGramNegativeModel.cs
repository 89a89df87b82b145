using GraphCompiler;
using static GraphCompiler.Ops;

namespace GraphCompiler.Benchmarks.Models;

/// <summary>
/// The word2vec sample's skip-gram with negative sampling at its default size (10,000 words, 128
/// dimensions): one train step is a batch of (centre, context) pairs with k noise words each.
/// </summary>
[Model(Optimizer = Optimizer.GradientDescent)]
public partial class SkipGramNegativeModel
{
    /// <summary>Vocabulary size.</summary>
    public const int Vocabulary = 10000;

    /// <summary>Embedding width.</summary>
    public const int Dim = 128;

    [Loss]
    static Tensor Loss([Shape("batch", DType = DType.Int32)] Tensor centers, [Shape("batch", DType = DType.Int32)] Tensor contexts, [Shape("batch", "negatives", DType = DType.Int32)] Tensor negatives)
    {
        var embed = Variable("embed_matrix", [Vocabulary, Dim], Init.RandomUniform(-0.5f / Dim, 0.5f / Dim));
        var weights = Variable("nce_weight", [Vocabulary, Dim], Init.TruncatedNormal(0f, 0.088388346f));
        return ReduceMean(NegativeSamplingLoss(weights, contexts, negatives, EmbeddingLookup(embed, centers)));
    }
}
