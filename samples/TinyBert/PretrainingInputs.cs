using GraphCompiler.Runtime.Bert;
using static TinyBert.TinyBertNetwork;

namespace TinyBert;

/// <summary>One batch of the pre-training model's six inputs, as the generated <c>TrainStep</c> takes them.</summary>
public sealed record PretrainingInputs(int[] Ids, int[] Segments, int[] InputMask, int[] Positions, int[] Labels, int[] NextSentence)
{
    /// <summary>Sequences in the batch.</summary>
    public int Count => NextSentence.Length;

    /// <summary>
    /// Pairs <paramref name="start"/> … of <paramref name="pairs"/>, masked by BERT's rule (at most
    /// <see cref="MaxPredictions"/> per sequence) with the masking of <paramref name="epoch"/>.
    /// </summary>
    public static PretrainingInputs Create(IReadOnlyList<SentencePair> pairs, int start, int count, ulong seed, long epoch)
    {
        var batch = BertBatch.Pretraining(pairs, start, count, Sequence, Vocabulary, seed, epoch, new MaskingOptions { MaxPredictions = MaxPredictions });
        var (positions, labels) = batch.MaskedPositions(MaxPredictions);
        return new PretrainingInputs(batch.InputIds, batch.SegmentIds, batch.InputMask, positions, labels, batch.NextSentenceLabels);
    }

    /// <summary>The batch's train step at <paramref name="learningRate"/> (the loop's schedule gives it); returns the loss.</summary>
    public float TrainStep(TinyBertPretraining model, float learningRate) =>
        model.TrainStep(Ids, Segments, InputMask, Positions, Labels, NextSentence, learningRate);
}
