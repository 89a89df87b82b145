using GraphCompiler;
using static GraphCompiler.Layers;
using static GraphCompiler.Ops;

namespace GraphCompiler.EndToEnd.Tests.Models;

/// <summary>
/// A two-layer BERT in miniature with BERT's variable names: word and learned position embeddings with
/// their LayerNorm, post-norm encoder layers, a masked LM head and a next-sentence head on [CLS], trained
/// with AdamW under BERT's schedule and its weight-decay exclusions.
/// </summary>
[Model(Optimizer = Optimizer.AdamW, WeightDecay = 0.1f, Schedule = LearningRateDecay.LinearDecay, WarmupSteps = 2, DecaySteps = 6,
    WeightDecayExclude = ["bias", "LayerNorm"])]
public partial class MiniBertModel
{
    public const int Vocab = 13, Seq = 5, HiddenSize = 8, Heads = 2, Intermediate = 12;

    static Tensor Embed(Tensor ids)
    {
        using var _ = VariableScope("embeddings");
        var words = GetVariable("word_embeddings", [Vocab, HiddenSize], Init.TruncatedNormal(0f, 0.5f));
        var positions = GetVariable("position_embeddings", [Seq, HiddenSize], Init.TruncatedNormal(0f, 0.5f));
        return LayerNormalization(EmbeddingLookup(words, ids) + positions, name: "LayerNorm");
    }

    static Tensor Stack(Tensor x, Tensor mask)
    {
        using var _ = VariableScope("encoder");
        for (int i = 0; i < 2; i++) x = TransformerEncoderLayer(x, mask, Heads, Intermediate);
        return x;
    }

    static Tensor Encode(Tensor ids, Tensor mask)
    {
        using var _ = VariableScope("bert", Reuse.Auto);
        return Stack(Embed(ids), mask);
    }

    [Loss]
    static Tensor Loss([Shape("batch", Seq, DType = DType.Int32)] Tensor ids, [Shape("batch", Seq)] Tensor mask,
        [Shape("batch", Seq, DType = DType.Int32)] Tensor labels, [Shape("batch", DType = DType.Int32)] Tensor isNext)
    {
        var hidden = Encode(ids, mask);
        var logits = Dense(hidden, Vocab, name: "predictions");
        var cls = Reshape(Slice(hidden, [0, 0, 0], [-1, 1, HiddenSize]), [-1, HiddenSize]);
        var nsp = Dense(cls, 2, name: "seq_relationship");
        return MaskedSparseSoftmaxCrossEntropy(labels, logits) + ReduceMean(SparseSoftmaxCrossEntropyWithLogits(isNext, nsp));
    }

    [Output]
    static Tensor Hidden([Shape("batch", Seq, DType = DType.Int32)] Tensor ids, [Shape("batch", Seq)] Tensor mask) => Encode(ids, mask);
}

/// <summary>The attention pieces one at a time, and a pre-norm encoder layer trained by gradient descent.</summary>
[Model(Optimizer = Optimizer.GradientDescent)]
public partial class AttentionPiecesModel
{
    [Output]
    static Tensor Attend([Shape("batch", 4, 6)] Tensor query, [Shape("batch", 5, 3)] Tensor value, [Shape("batch", 5)] Tensor mask) =>
        MultiHeadAttention(query, value, numHeads: 2, keyDim: 3, attentionMask: mask);

    [Output]
    static Tensor Weights([Shape("batch", 2, 4, 5)] Tensor logits, [Shape("batch", 5)] Tensor mask) => MaskedSoftmax(logits, mask, scale: 0.5f);

    [Output]
    static Tensor Causal([Shape("batch", 4, 4)] Tensor logits) => MaskedSoftmax(logits, causal: true);

    [Output]
    static Tensor Positioned([Shape("batch", 7, 6)] Tensor x) => x + PositionalEncoding(7, 6);

    [Loss]
    static Tensor Loss([Shape("batch", 4, 6)] Tensor x, [Shape("batch", 4)] Tensor mask, [Shape("batch", 4, 6)] Tensor y) =>
        MeanSquaredError(y, TransformerEncoderLayer(x, mask, numHeads: 3, intermediateSize: 10, preNorm: true, name: "block"));
}

/// <summary>A masked LM head alone: logits = x·W, loss over the positions whose label is not −100.</summary>
[Model(Optimizer = Optimizer.GradientDescent)]
public partial class MaskedLmHeadModel
{
    [Loss]
    static Tensor Loss([Shape("n", 4)] Tensor x, [Shape("n", DType = DType.Int32)] Tensor labels)
    {
        var w = Variable("w", [4, 7], Init.RandomUniform(-1f, 1f));
        return MaskedSparseSoftmaxCrossEntropy(labels, MatMul(x, w));
    }
}

/// <summary>AdamW with BERT's exclusions: <c>w</c> decays, <c>dense/bias</c> and <c>LayerNorm/gamma</c> do not.</summary>
[Model(Optimizer = Optimizer.AdamW, WeightDecay = 0.1f, WeightDecayExclude = ["bias", "LayerNorm"])]
public partial class DecayExclusionModel
{
    [Loss]
    static Tensor Loss([Shape(2)] Tensor target) => Quadratic("w", target) + Scoped("dense", "bias", target) + Scoped("LayerNorm", "gamma", target);

    static Tensor Scoped(string scope, string name, Tensor target)
    {
        using var _ = VariableScope(scope);
        return Quadratic(name, target);
    }

    static Tensor Quadratic(string name, Tensor target) => ReduceSum(Square(GetVariable(name, [2], Init.Constant([1f, -2f])) - target));
}

/// <summary>BERT's schedule on a quadratic: 2 warm-up steps, then linear decay to 0 at step 5.</summary>
[Model(Schedule = LearningRateDecay.LinearDecay, WarmupSteps = 2, DecaySteps = 5)]
public partial class LinearDecayModel
{
    [Loss]
    static Tensor Loss([Shape(2)] Tensor target)
    {
        var w = Variable("w", [2], Init.Constant([1f, -2f]));
        return ReduceSum(Square(w - target));
    }
}
