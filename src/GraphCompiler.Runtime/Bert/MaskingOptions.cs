namespace GraphCompiler.Runtime.Bert;

/// <summary>
/// BERT's masked-language-model rule: <see cref="Rate"/> of a sequence's tokens (not <c>[CLS]</c>, <c>[SEP]</c> or
/// padding) are chosen for prediction, <c>max(1, round(Rate · n))</c> of the n, at most <see cref="MaxPredictions"/>;
/// of those, <see cref="MaskTokenRate"/> are replaced by <c>[MASK]</c>, <see cref="RandomTokenRate"/> by a random
/// piece (never a special token), and the rest are left unchanged (80/10/10 by default).
/// </summary>
public sealed record MaskingOptions
{
    /// <summary>The share of tokens predicted: 0.15.</summary>
    public double Rate { get; init; } = 0.15;

    /// <summary>The share of predicted tokens replaced by <c>[MASK]</c>: 0.8.</summary>
    public double MaskTokenRate { get; init; } = 0.8;

    /// <summary>The share of predicted tokens replaced by a random piece: 0.1.</summary>
    public double RandomTokenRate { get; init; } = 0.1;

    /// <summary>At most this many predictions per sequence (BERT's <c>max_predictions_per_seq</c>); unlimited by default.</summary>
    public int MaxPredictions { get; init; } = int.MaxValue;

    internal void Validate()
    {
        if (!(Rate > 0 && Rate <= 1)) throw new ArgumentOutOfRangeException(nameof(Rate), Rate, "the masking rate must be in (0, 1]");
        if (!(MaskTokenRate >= 0 && RandomTokenRate >= 0 && MaskTokenRate + RandomTokenRate <= 1))
            throw new ArgumentOutOfRangeException(nameof(MaskTokenRate), MaskTokenRate, $"[MASK] and random shares must be ≥ 0 with a sum ≤ 1 (got {MaskTokenRate} and {RandomTokenRate})");
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxPredictions, 1, nameof(MaxPredictions));
    }
}
