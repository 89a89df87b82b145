using GraphCompiler.Runtime.Bert;
using static TinyBert.TinyBertNetwork;

namespace TinyBert;

/// <summary>The pre-trained model's five most likely tokens at a <c>[MASK]</c> in a few sentences, so a person can judge it.</summary>
public static class FillIns
{
    /// <summary>Sentences in the style of each book, one <c>[MASK]</c> each (the first is Austen's, the second Melville's, the third Genesis 1:1).</summary>
    public static readonly string[] Sentences =
    [
        "It is a truth universally acknowledged, that a single man in possession of a good fortune, must be in want of a [MASK].",
        "Call me [MASK].",
        "In the beginning, God created the heavens and the [MASK].",
        "She could not help [MASK] at his letter.",
        "The whale rose out of the [MASK] and spouted.",
        "Then Yahweh said to [MASK], \"Stretch out your hand.\"",
    ];

    /// <summary>Prints each sentence with its top five fill-ins and their probabilities.</summary>
    public static void Print(TinyBertPretraining model, WordPieceVocabulary vocabulary)
    {
        Console.WriteLine("top-5 fill-ins:");
        foreach (var sentence in Sentences)
        {
            var parts = sentence.Split("[MASK]");
            int[] tokens = [.. vocabulary.Encode(parts[0]), WordPieceVocabulary.MaskId, .. vocabulary.Encode(parts[1])];
            var batch = BertBatch.Sentences([tokens], Sequence);
            var positions = new int[MaxPredictions];
            positions[0] = 1 + Array.IndexOf(tokens, WordPieceVocabulary.MaskId);   // after [CLS]
            var (mlm, _) = model.Predict(batch.InputIds, batch.SegmentIds, batch.InputMask, positions);
            var logits = mlm.Data[..Vocabulary];
            double logSum = PretrainingMetrics.LogSumExp(logits);
            var top = Enumerable.Range(WordPieceVocabulary.SpecialCount, Vocabulary - WordPieceVocabulary.SpecialCount)
                .OrderByDescending(id => logits[id]).Take(5)
                .Select(id => $"{vocabulary[id]} {Math.Exp(logits[id] - logSum):P1}");
            Console.WriteLine($"  {sentence}\n      -> {string.Join(", ", top)}");
        }
    }
}
