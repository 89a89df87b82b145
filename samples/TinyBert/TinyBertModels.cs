using GraphCompiler;
using static GraphCompiler.Ops;
using static TinyBert.TinyBertNetwork;

namespace TinyBert;

/// <summary>
/// BERT pre-training: masked LM (at <see cref="MaxPredictions"/> gathered positions per sequence, label −100 where a
/// sequence has fewer) plus next-sentence prediction, with BERT's optimizer: AdamW (decay 0.01, not on biases and
/// layer-norm parameters). BERT's warm-up then linear decay is applied by the training loop
/// (<see cref="Pretraining.Schedule"/>) over the run's length, which the command line sets.
/// </summary>
[Model(Optimizer = Optimizer.AdamW, WeightDecay = 0.01f, Epsilon = 1e-6f, WeightDecayExclude = new[] { "bias", "LayerNorm", "layer_norm" })]
public partial class TinyBertPretraining
{
    /// <summary>The length of the default run, in steps.</summary>
    public const int PretrainingSteps = 1000;

    [Loss]
    static Tensor Loss([Shape("batch", Sequence, DType = DType.Int32)] Tensor ids, [Shape("batch", Sequence, DType = DType.Int32)] Tensor segments,
        [Shape("batch", Sequence, DType = DType.Int32)] Tensor inputMask, [Shape("batch", MaxPredictions, DType = DType.Int32)] Tensor positions,
        [Shape("batch", MaxPredictions, DType = DType.Int32)] Tensor labels, [Shape("batch", DType = DType.Int32)] Tensor nextSentence) =>
        PretrainingLoss(ids, segments, inputMask, positions, labels, nextSentence);

    /// <summary>The masked-LM logits at the positions [batch, MaxPredictions, Vocabulary] and the next-sentence logits [batch, 2].</summary>
    [Output]
    static (Tensor, Tensor) Predict([Shape("batch", Sequence, DType = DType.Int32)] Tensor ids, [Shape("batch", Sequence, DType = DType.Int32)] Tensor segments,
        [Shape("batch", Sequence, DType = DType.Int32)] Tensor inputMask, [Shape("batch", MaxPredictions, DType = DType.Int32)] Tensor positions)
    {
        var (hidden, words) = Encode(ids, segments, inputMask);
        return (MaskedLmLogits(hidden, words, positions), NextSentenceLogits(Pool(hidden)));
    }
}

/// <summary>
/// The fine-tuning model: the same encoder (<c>bert/…</c>, restored from pre-training) and a new head
/// (<c>classifier/dense</c>, dropout 0.1 on the pooled [CLS]) that says which book a sentence comes from. The encoder
/// can be frozen at run time. One segment, so the segment ids are zeros and the attention mask is <c>ids ≠ [PAD]</c>.
/// </summary>
[Model(Optimizer = Optimizer.AdamW, WeightDecay = 0.01f, Epsilon = 1e-6f, Freezable = new[] { "bert" },
    WeightDecayExclude = new[] { "bias", "LayerNorm", "layer_norm" })]
public partial class TinyBertClassifier
{
    /// <summary>The classes: the three books of the shipped corpus.</summary>
    public const int Classes = 3;

    static Tensor Logits(Tensor ids)
    {
        var (hidden, _) = Encode(ids, ZerosLike(ids), NotEqual(ids, ZerosLike(ids)));
        var pooled = Pool(hidden);
        using var _ = VariableScope("classifier");
        return GraphCompiler.Layers.Dense(Dropout(pooled, 0.1f), Classes, name: "dense");
    }

    [Loss]
    static Tensor Loss([Shape("batch", Sequence, DType = DType.Int32)] Tensor ids, [Shape("batch", DType = DType.Int32)] Tensor labels) =>
        ReduceMean(SparseSoftmaxCrossEntropyWithLogits(labels, Logits(ids)));

    /// <summary>The class logits [batch, Classes].</summary>
    [Output]
    static Tensor Predict([Shape("batch", Sequence, DType = DType.Int32)] Tensor ids) => Logits(ids);
}
