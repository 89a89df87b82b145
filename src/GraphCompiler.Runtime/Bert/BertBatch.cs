using GraphCompiler.Runtime.Rng;

namespace GraphCompiler.Runtime.Bert;

/// <summary>
/// The inputs of a batch of BERT sequences, row-major [batch, sequence]: <c>[CLS] A [SEP] B [SEP]</c> (or
/// <c>[CLS] A [SEP]</c>) then <c>[PAD]</c>. For pre-training, some tokens are masked (<see cref="MaskingOptions"/>)
/// and <see cref="MaskedLmLabels"/> holds the original id at the predicted positions and
/// <see cref="IgnoreLabel"/> (−100) everywhere else.
/// </summary>
public sealed class BertBatch
{
    /// <summary>The label of a position that the masked LM does not predict (PyTorch's <c>ignore_index</c>).</summary>
    public const int IgnoreLabel = -100;

    private BertBatch(int batchSize, int sequenceLength)
    {
        BatchSize = batchSize;
        SequenceLength = sequenceLength;
        int n = batchSize * sequenceLength;
        InputIds = new int[n];
        SegmentIds = new int[n];
        InputMask = new int[n];
        MaskedLmLabels = new int[n];
        Array.Fill(MaskedLmLabels, IgnoreLabel);
        NextSentenceLabels = new int[batchSize];
    }

    /// <summary>Sequences in the batch.</summary>
    public int BatchSize { get; }

    /// <summary>Tokens per sequence.</summary>
    public int SequenceLength { get; }

    /// <summary>Token ids (after masking).</summary>
    public int[] InputIds { get; }

    /// <summary>0 for <c>[CLS]</c>, the first segment and its <c>[SEP]</c>; 1 for the second segment and its <c>[SEP]</c>; 0 for padding.</summary>
    public int[] SegmentIds { get; }

    /// <summary>1 for real tokens, 0 for padding (the attention mask).</summary>
    public int[] InputMask { get; }

    /// <summary>The original token where the masked LM predicts, <see cref="IgnoreLabel"/> elsewhere (all of it when not masked).</summary>
    public int[] MaskedLmLabels { get; }

    /// <summary>Per sequence, 0 when the second segment is the next sentence, 1 when it is random (<see cref="SentencePair.NextSentenceLabel"/>).</summary>
    public int[] NextSentenceLabels { get; }

    /// <summary>
    /// Pre-training inputs for <paramref name="count"/> pairs from <paramref name="start"/>, masked by
    /// <paramref name="options"/>. The masking of pair i depends only on (<paramref name="seed"/>,
    /// <paramref name="epoch"/>, i), so any batch can be rebuilt, and each epoch masks differently (RoBERTa's
    /// dynamic masking; the same epoch number gives BERT's static masking).
    /// </summary>
    public static BertBatch Pretraining(IReadOnlyList<SentencePair> pairs, int start, int count, int sequenceLength, int vocabularySize,
        ulong seed, long epoch = 0, MaskingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(start + count, pairs.Count, nameof(count));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(vocabularySize, WordPieceVocabulary.SpecialCount);
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        options ??= new MaskingOptions();
        options.Validate();

        var batch = new BertBatch(count, sequenceLength);
        for (int row = 0; row < count; row++)
        {
            var pair = pairs[start + row];
            batch.Pack(row, pair.First, pair.Second);
            batch.NextSentenceLabels[row] = pair.NextSentenceLabel;
            var random = new PhiloxStream(seed, (ulong)epoch, (ulong)(start + row));
            batch.Mask(row, random, vocabularySize, options);
        }
        return batch;
    }

    /// <summary>Unmasked single-segment inputs <c>[CLS] A [SEP]</c> (classification); <see cref="NextSentenceLabels"/> stay 0.</summary>
    public static BertBatch Sentences(IReadOnlyList<int[]> sentences, int sequenceLength)
    {
        ArgumentNullException.ThrowIfNull(sentences);
        var batch = new BertBatch(sentences.Count, sequenceLength);
        for (int row = 0; row < sentences.Count; row++)
        {
            var s = sentences[row];
            batch.Pack(row, s.Length > sequenceLength - 2 ? s[..(sequenceLength - 2)] : s, null);
        }
        return batch;
    }

    /// <summary>
    /// BERT's <c>masked_lm_positions</c> and <c>masked_lm_ids</c>, for a model that computes its masked-LM logits
    /// only where it predicts: per row, the predicted positions within the sequence in order, then 0 with label
    /// <see cref="IgnoreLabel"/> up to <paramref name="maxPredictions"/>; both [batch · <paramref name="maxPredictions"/>], row-major.
    /// </summary>
    /// <exception cref="InvalidOperationException">A row has more than <paramref name="maxPredictions"/> predictions (mask with <see cref="MaskingOptions.MaxPredictions"/>).</exception>
    public (int[] Positions, int[] Labels) MaskedPositions(int maxPredictions)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPredictions, 1);
        var positions = new int[BatchSize * maxPredictions];
        var labels = new int[BatchSize * maxPredictions];
        Array.Fill(labels, IgnoreLabel);
        for (int row = 0; row < BatchSize; row++)
        {
            int k = 0;
            for (int t = 0; t < SequenceLength; t++)
            {
                int i = row * SequenceLength + t;
                if (MaskedLmLabels[i] == IgnoreLabel) continue;
                if (k == maxPredictions)
                    throw new InvalidOperationException($"row {row} has more than {maxPredictions} predictions; mask with MaxPredictions = {maxPredictions}");
                positions[row * maxPredictions + k] = t;
                labels[row * maxPredictions + k++] = MaskedLmLabels[i];
            }
        }
        return (positions, labels);
    }

    // Writes [CLS] first [SEP] (second [SEP]) into the row; the caller has made it fit.
    private void Pack(int row, int[] first, int[]? second)
    {
        int length = first.Length + 2 + (second is null ? 0 : second.Length + 1);
        if (length > SequenceLength)
            throw new ArgumentException($"a sequence of {length} tokens does not fit in {SequenceLength} (build the pairs for this length)");
        var ids = InputIds.AsSpan(row * SequenceLength, SequenceLength);
        var segments = SegmentIds.AsSpan(row * SequenceLength, SequenceLength);
        int at = 0;
        ids[at++] = WordPieceVocabulary.ClsId;
        first.CopyTo(ids[at..]);
        at += first.Length;
        ids[at++] = WordPieceVocabulary.SepId;
        if (second is not null)
        {
            second.CopyTo(ids[at..]);
            segments.Slice(at, second.Length + 1).Fill(1);
            at += second.Length;
            ids[at++] = WordPieceVocabulary.SepId;
        }
        InputMask.AsSpan(row * SequenceLength, at).Fill(1);
    }

    private void Mask(int row, PhiloxStream random, int vocabularySize, MaskingOptions options)
    {
        var ids = InputIds.AsSpan(row * SequenceLength, SequenceLength);
        var labels = MaskedLmLabels.AsSpan(row * SequenceLength, SequenceLength);
        Span<int> candidates = stackalloc int[SequenceLength];
        int n = 0;
        for (int i = 0; i < ids.Length; i++)
            if (!WordPieceVocabulary.IsSpecial(ids[i])) candidates[n++] = i;
        if (n == 0) return;
        int predict = Math.Min(options.MaxPredictions, Math.Max(1, (int)Math.Round(n * options.Rate)));

        long draw = 0;
        for (int k = 0; k < predict; k++)
        {
            // A partial Fisher–Yates shuffle: candidates[k] becomes a uniform choice among those left.
            int j = k + Below(random.NextUInt32(draw++), n - k);
            (candidates[k], candidates[j]) = (candidates[j], candidates[k]);
            int position = candidates[k];
            labels[position] = ids[position];
            double u = random.NextUInt32(draw++) * (1.0 / 4294967296.0);
            if (u < options.MaskTokenRate) ids[position] = WordPieceVocabulary.MaskId;
            else if (u < options.MaskTokenRate + options.RandomTokenRate)
                ids[position] = WordPieceVocabulary.SpecialCount + Below(random.NextUInt32(draw++), vocabularySize - WordPieceVocabulary.SpecialCount);
        }
    }

    // Uniform in [0, bound) by Lemire's multiply-shift (bias below 2^-32 · bound).
    private static int Below(uint word, int bound) => (int)(((ulong)word * (uint)bound) >> 32);
}
