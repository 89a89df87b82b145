using GraphCompiler;
using static GraphCompiler.Ops;

namespace TinyBert;

/// <summary>
/// The tiny BERT's model code, shared by the pre-training model, the classifier and the benchmark: Google's BERT
/// layout and variable names (<c>bert/embeddings/word_embeddings</c>, <c>bert/encoder/layer_0/attention/self/query/kernel</c>,
/// <c>cls/predictions/…</c>), so a checkpoint reads like theirs.
/// </summary>
public static class TinyBertNetwork
{
    /// <summary>WordPiece vocabulary size, the five special tokens included (the tokenizer is trained to this size).</summary>
    public const int Vocabulary = 5000;

    /// <summary>Tokens per sequence.</summary>
    public const int Sequence = 64;

    /// <summary>Hidden size.</summary>
    public const int Hidden = 128;

    /// <summary>Encoder layers.</summary>
    public const int Layers = 2;

    /// <summary>Attention heads (32 dimensions each).</summary>
    public const int Heads = 4;

    /// <summary>Feed-forward size (4 × hidden, as BERT).</summary>
    public const int Intermediate = 512;

    /// <summary>Masked-LM predictions per sequence: 15 % of 61 tokens is 9, BERT's max_predictions_per_seq scaled to 64 tokens.</summary>
    public const int MaxPredictions = 10;

    /// <summary>
    /// Token + segment + position embeddings, layer-normalised, then the post-norm encoder layers. Returns the hidden
    /// states [batch, Sequence, Hidden] and the word-embedding table, which the masked-LM head reuses (tied weights).
    /// </summary>
    public static (Tensor Hidden, Tensor WordEmbeddings) Encode(Tensor ids, Tensor segments, Tensor inputMask)
    {
        using var bert = VariableScope("bert", Reuse.Auto);
        Tensor x, words;
        using (var _ = VariableScope("embeddings", Reuse.Auto))
        {
            words = GetVariable("word_embeddings", [Vocabulary, TinyBertNetwork.Hidden], Init.TruncatedNormal(0f, 0.02f));
            var types = GetVariable("token_type_embeddings", [2, TinyBertNetwork.Hidden], Init.TruncatedNormal(0f, 0.02f));
            var positions = GetVariable("position_embeddings", [Sequence, TinyBertNetwork.Hidden], Init.TruncatedNormal(0f, 0.02f));
            x = Gather(words, ids) + Gather(types, segments) + positions;
            x = GraphCompiler.Layers.LayerNormalization(x, name: "LayerNorm");
        }
        using (var _ = VariableScope("encoder"))
            for (int i = 0; i < Layers; i++)
                x = GraphCompiler.Layers.TransformerEncoderLayer(x, inputMask, Heads, Intermediate);
        return (x, words);
    }

    /// <summary>BERT's pooler: the [CLS] state through <c>bert/pooler/dense</c> with tanh, [batch, Hidden].</summary>
    public static Tensor Pool(Tensor hidden)
    {
        using var bert = VariableScope("bert", Reuse.Auto);
        using var pooler = VariableScope("pooler");
        var cls = StridedSlice(hidden, [0, 0, 0], [0, 1, 0], beginMask: 0b101, endMask: 0b101, shrinkAxisMask: 0b010);
        return GraphCompiler.Layers.Dense(cls, TinyBertNetwork.Hidden, Activation.Tanh, name: "dense");
    }

    /// <summary>
    /// The masked-LM logits [batch, MaxPredictions, Vocabulary] at each sequence's predicted positions [batch,
    /// MaxPredictions] (BERT's gather_indexes, as a one-hot [batch, P, Sequence] times the hidden states, which keeps
    /// the batch symbolic): a GELU transform, layer norm, then the transposed word embeddings plus
    /// <c>cls/predictions/output_bias</c>.
    /// </summary>
    public static Tensor MaskedLmLogits(Tensor hidden, Tensor wordEmbeddings, Tensor positions)
    {
        using var cls = VariableScope("cls", Reuse.Auto);
        using var predictions = VariableScope("predictions", Reuse.Auto);
        var rows = MatMul(OneHot(positions, Sequence), hidden);
        Tensor h;
        using (var _ = VariableScope("transform"))
        {
            h = GraphCompiler.Layers.Dense(rows, TinyBertNetwork.Hidden, Activation.Gelu, name: "dense");
            h = GraphCompiler.Layers.LayerNormalization(h, name: "LayerNorm");
        }
        var bias = GetVariable("output_bias", [Vocabulary], Init.Zeros());
        return MatMul(h, wordEmbeddings, transposeB: true) + bias;
    }

    /// <summary>The next-sentence logits [batch, 2] from the pooled [CLS] (<c>cls/seq_relationship</c>); class 0 is "is next".</summary>
    public static Tensor NextSentenceLogits(Tensor pooled)
    {
        using var cls = VariableScope("cls", Reuse.Auto);
        using var relationship = VariableScope("seq_relationship", Reuse.Auto);
        var weights = GetVariable("output_weights", [2, TinyBertNetwork.Hidden], Init.TruncatedNormal(0f, 0.02f));
        var bias = GetVariable("output_bias", [2], Init.Zeros());
        return MatMul(pooled, weights, transposeB: true) + bias;
    }

    /// <summary>The pre-training loss: masked-LM cross-entropy over the predicted positions plus the next-sentence cross-entropy.</summary>
    public static Tensor PretrainingLoss(Tensor ids, Tensor segments, Tensor inputMask, Tensor positions, Tensor labels, Tensor nextSentence)
    {
        var (hidden, words) = Encode(ids, segments, inputMask);
        var mlm = MaskedSparseSoftmaxCrossEntropy(labels, MaskedLmLogits(hidden, words, positions));
        var nsp = ReduceMean(SparseSoftmaxCrossEntropyWithLogits(nextSentence, NextSentenceLogits(Pool(hidden))));
        Summary.Scalar("masked_lm_loss", mlm);
        Summary.Scalar("next_sentence_loss", nsp);
        return mlm + nsp;
    }
}
