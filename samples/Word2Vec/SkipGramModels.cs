using GraphCompiler;
using static GraphCompiler.Ops;

namespace Word2Vec;

/// <summary>
/// The skip-gram graph of the lecture, shared by both model classes: name scopes <c>embed</c> and
/// <c>loss</c>, with <c>optimizer</c> holding the compiled SGD update and <c>data</c> the host pipeline.
/// The embedding width and the vocabulary size are hyperparameters: one compiled class serves every value,
/// fixed when the model is constructed.
/// </summary>
static class SkipGramGraph
{
    /// <summary>Classes NCE samples per step (the lecture's NUM_SAMPLED).</summary>
    public const int NumSampled = 64;

    /// <summary>
    /// The NCE candidate draw's op seed, named so that the host can repeat a step's draw (with the model's seed and the
    /// global step): a data-parallel rank must know every output row its step changes.
    /// </summary>
    public const int NceSeed = 0x5EED;

    /// <summary>
    /// The NCE model's rows for a vocabulary: one per word, and at least <see cref="NumSampled"/>, since the
    /// sampler draws that many distinct classes (a tiny corpus's spare rows are sampled, never a label).
    /// </summary>
    public static int NceRows(int vocabulary) => Math.Max(vocabulary, NumSampled);

    /// <summary>The centre words' embeddings: [batch, dim], or [groups, size, dim] for grouped pairs.</summary>
    public static Tensor Embed(Tensor centers, int vocabulary, int dim)
    {
        using (NameScope("embed"))
        {
            // word2vec's customary uniform(−0.5/dim, 0.5/dim); the program can re-fill it with the lecture's ±1.
            var embedMatrix = Variable("embed_matrix", [vocabulary, dim], Init.RandomUniform(-0.5f / dim, 0.5f / dim));
            return EmbeddingLookup(embedMatrix, centers);
        }
    }

    /// <summary>NCE over <see cref="NumSampled"/> log-uniform candidates out of the whole vocabulary, averaged over the batch.</summary>
    public static Tensor NceLoss(Tensor centers, Tensor contexts, int vocabulary, int dim)
    {
        var embed = Embed(centers, vocabulary, dim);
        using (NameScope("loss"))
        {
            var nceWeight = Variable("nce_weight", [vocabulary, dim], Init.TruncatedNormal(0f, 1f / MathF.Sqrt(dim)));
            var nceBias = Variable("nce_bias", [vocabulary], Init.Zeros());
            var loss = ReduceMean(Ops.NceLoss(nceWeight, nceBias, contexts, embed, numSampled: NumSampled, numClasses: vocabulary, seed: NceSeed));
            Summary.Scalar("loss", loss);
            return loss;
        }
    }

    /// <summary>
    /// word2vec's negative sampling with host-drawn unigram^0.75 negatives, averaged over the batch. The
    /// batch comes as [groups, size] pairs whose group shares one draw of noise words (size 1 is
    /// word2vec's own draw per pair): each noise row is then read and written once per group.
    /// </summary>
    public static Tensor NegativeSamplingLoss(Tensor centers, Tensor contexts, Tensor negatives, int vocabulary, int dim)
    {
        var embed = Embed(centers, vocabulary, dim);
        using (NameScope("loss"))
        {
            var nceWeight = Variable("nce_weight", [vocabulary, dim], Init.TruncatedNormal(0f, 1f / MathF.Sqrt(dim)));
            var loss = ReduceMean(Ops.NegativeSamplingLoss(nceWeight, contexts, negatives, embed));
            Summary.Scalar("loss", loss);
            return loss;
        }
    }
}

/// <summary>Skip-gram with NCE loss: any vocabulary size (the sampler's range), any width.</summary>
[Model(Optimizer = Optimizer.GradientDescent)]
public partial class SkipGramNce
{
    /// <summary>Rows of the embedding and output tables, and the classes NCE samples from: the vocabulary, UNK included.</summary>
    [Hyper] public int Vocab { get; }

    /// <summary>The embedding width.</summary>
    [Hyper] public int Dim { get; }

    [Loss]
    Tensor Loss([Shape("batch", DType = DType.Int32)] Tensor centers, [Shape("batch", 1, DType = DType.Int32)] Tensor contexts) =>
        SkipGramGraph.NceLoss(centers, contexts, Vocab, Dim);
}

/// <summary>Skip-gram with negative sampling: any vocabulary size, any width.</summary>
[Model(Optimizer = Optimizer.GradientDescent)]
public partial class SkipGramNegative
{
    /// <summary>Rows of the embedding and output tables: the vocabulary, UNK included.</summary>
    [Hyper] public int Vocab { get; }

    /// <summary>The embedding width.</summary>
    [Hyper] public int Dim { get; }

    [Loss]
    Tensor Loss([Shape("groups", "size", DType = DType.Int32)] Tensor centers, [Shape("groups", "size", DType = DType.Int32)] Tensor contexts, [Shape("groups", "negatives", DType = DType.Int32)] Tensor negatives) =>
        SkipGramGraph.NegativeSamplingLoss(centers, contexts, negatives, Vocab, Dim);
}
