using GraphCompiler;
using static GraphCompiler.Ops;

namespace Word2Vec;

/// <summary>
/// The skip-gram graph of the lecture, shared by every model class: name scopes <c>embed</c> and
/// <c>loss</c>, with <c>optimizer</c> holding the compiled SGD update and <c>data</c> the host pipeline. The
/// vocabulary size and embedding width are compile-time constants of the graph, so each width is
/// its own small [Model] class below; they differ only in the constants they pass here.
/// </summary>
static class SkipGramGraph
{
    /// <summary>
    /// Vocabulary size: the most frequent words, UNK (id 0) included. The shipped corpus has 12,279 words
    /// at min count 5 (UNK included), so all of them fit, as in gensim's vocabulary; NCE samples its
    /// candidates over these rows, so few stay unused.
    /// </summary>
    public const int VocabularySize = 12288;

    /// <summary>Classes NCE samples per step (the lecture's NUM_SAMPLED).</summary>
    public const int NumSampled = 64;

    /// <summary>The centre words' embeddings: [batch, dim], or [groups, size, dim] for grouped pairs.</summary>
    public static Tensor Embed(Tensor centers, int dim)
    {
        using (NameScope("embed"))
        {
            // word2vec's customary uniform(−0.5/dim, 0.5/dim); the program can re-fill it with the lecture's ±1.
            var embedMatrix = Variable("embed_matrix", [VocabularySize, dim], Init.RandomUniform(-0.5f / dim, 0.5f / dim));
            return EmbeddingLookup(embedMatrix, centers);
        }
    }

    /// <summary>NCE over <see cref="NumSampled"/> log-uniform candidates, averaged over the batch.</summary>
    public static Tensor NceLoss(Tensor centers, Tensor contexts, int dim, float stddev)
    {
        var embed = Embed(centers, dim);
        using (NameScope("loss"))
        {
            var nceWeight = Variable("nce_weight", [VocabularySize, dim], Init.TruncatedNormal(0f, stddev));
            var nceBias = Variable("nce_bias", [VocabularySize], Init.Zeros());
            var loss = ReduceMean(Ops.NceLoss(nceWeight, nceBias, contexts, embed, numSampled: NumSampled, numClasses: VocabularySize));
            Summary.Scalar("loss", loss);
            return loss;
        }
    }

    /// <summary>
    /// word2vec's negative sampling with host-drawn unigram^0.75 negatives, averaged over the batch. The
    /// batch comes as [groups, size] pairs whose group shares one draw of noise words (size 1 is
    /// word2vec's own draw per pair): each noise row is then read and written once per group.
    /// </summary>
    public static Tensor NegativeSamplingLoss(Tensor centers, Tensor contexts, Tensor negatives, int dim, float stddev)
    {
        var embed = Embed(centers, dim);
        using (NameScope("loss"))
        {
            var nceWeight = Variable("nce_weight", [VocabularySize, dim], Init.TruncatedNormal(0f, stddev));
            var loss = ReduceMean(Ops.NegativeSamplingLoss(nceWeight, contexts, negatives, embed));
            Summary.Scalar("loss", loss);
            return loss;
        }
    }
}

/// <summary>Skip-gram with NCE loss, 64-dimensional embeddings.</summary>
[Model(Optimizer = Optimizer.GradientDescent)]
public partial class SkipGramNce64
{
    [Loss]
    static Tensor Loss([Shape("batch", DType = DType.Int32)] Tensor centers, [Shape("batch", 1, DType = DType.Int32)] Tensor contexts) =>
        SkipGramGraph.NceLoss(centers, contexts, 64, 0.125f);
}

/// <summary>Skip-gram with negative sampling, 64-dimensional embeddings.</summary>
[Model(Optimizer = Optimizer.GradientDescent)]
public partial class SkipGramNegative64
{
    [Loss]
    static Tensor Loss([Shape("groups", "size", DType = DType.Int32)] Tensor centers, [Shape("groups", "size", DType = DType.Int32)] Tensor contexts, [Shape("groups", "negatives", DType = DType.Int32)] Tensor negatives) =>
        SkipGramGraph.NegativeSamplingLoss(centers, contexts, negatives, 64, 0.125f);
}

/// <summary>Skip-gram with NCE loss, 128-dimensional embeddings.</summary>
[Model(Optimizer = Optimizer.GradientDescent)]
public partial class SkipGramNce128
{
    [Loss]
    static Tensor Loss([Shape("batch", DType = DType.Int32)] Tensor centers, [Shape("batch", 1, DType = DType.Int32)] Tensor contexts) =>
        SkipGramGraph.NceLoss(centers, contexts, 128, 0.088388346f);
}

/// <summary>Skip-gram with negative sampling, 128-dimensional embeddings.</summary>
[Model(Optimizer = Optimizer.GradientDescent)]
public partial class SkipGramNegative128
{
    [Loss]
    static Tensor Loss([Shape("groups", "size", DType = DType.Int32)] Tensor centers, [Shape("groups", "size", DType = DType.Int32)] Tensor contexts, [Shape("groups", "negatives", DType = DType.Int32)] Tensor negatives) =>
        SkipGramGraph.NegativeSamplingLoss(centers, contexts, negatives, 128, 0.088388346f);
}

/// <summary>Skip-gram with NCE loss, 200-dimensional embeddings.</summary>
[Model(Optimizer = Optimizer.GradientDescent)]
public partial class SkipGramNce200
{
    [Loss]
    static Tensor Loss([Shape("batch", DType = DType.Int32)] Tensor centers, [Shape("batch", 1, DType = DType.Int32)] Tensor contexts) =>
        SkipGramGraph.NceLoss(centers, contexts, 200, 0.070710678f);
}

/// <summary>Skip-gram with negative sampling, 200-dimensional embeddings.</summary>
[Model(Optimizer = Optimizer.GradientDescent)]
public partial class SkipGramNegative200
{
    [Loss]
    static Tensor Loss([Shape("groups", "size", DType = DType.Int32)] Tensor centers, [Shape("groups", "size", DType = DType.Int32)] Tensor contexts, [Shape("groups", "negatives", DType = DType.Int32)] Tensor negatives) =>
        SkipGramGraph.NegativeSamplingLoss(centers, contexts, negatives, 200, 0.070710678f);
}

