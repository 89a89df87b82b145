namespace TinyBert;

/// <summary>Masked-LM loss and accuracy over the predicted positions and next-sentence accuracy, accumulated over batches.</summary>
public sealed class PretrainingMetrics
{
    private double _mlmLoss;
    private long _predicted, _mlmCorrect, _sequences, _nspCorrect;

    /// <summary>Mean cross-entropy (nats) of the masked-LM predictions.</summary>
    public double MaskedLmLoss => _mlmLoss / Math.Max(1, _predicted);

    /// <summary>The share of predicted positions whose most likely token is the original.</summary>
    public double MaskedLmAccuracy => _mlmCorrect / (double)Math.Max(1, _predicted);

    /// <summary>The share of pairs whose next-sentence prediction is right.</summary>
    public double NextSentenceAccuracy => _nspCorrect / (double)Math.Max(1, _sequences);

    /// <summary>Adds a batch: the masked-LM logits [rows, vocabulary] with one label per row (−100: not predicted) and the next-sentence logits [batch, 2].</summary>
    public void Add(ReadOnlySpan<float> mlmLogits, ReadOnlySpan<int> labels, ReadOnlySpan<float> nspLogits, ReadOnlySpan<int> nextSentence)
    {
        int vocabulary = mlmLogits.Length / labels.Length;
        for (int row = 0; row < labels.Length; row++)
        {
            if (labels[row] < 0) continue;
            var logits = mlmLogits.Slice(row * vocabulary, vocabulary);
            _mlmLoss += LogSumExp(logits) - logits[labels[row]];
            _mlmCorrect += ArgMax(logits) == labels[row] ? 1 : 0;
            _predicted++;
        }
        for (int row = 0; row < nextSentence.Length; row++)
        {
            _nspCorrect += ArgMax(nspLogits.Slice(row * 2, 2)) == nextSentence[row] ? 1 : 0;
            _sequences++;
        }
    }

    /// <summary>The index of the first largest value.</summary>
    public static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++) if (values[i] > values[best]) best = i;
        return best;
    }

    /// <summary><c>log Σ exp(x)</c>, computed stably.</summary>
    public static double LogSumExp(ReadOnlySpan<float> values)
    {
        float max = values[ArgMax(values)];
        double sum = 0;
        foreach (var v in values) sum += Math.Exp(v - max);
        return max + Math.Log(sum);
    }
}
