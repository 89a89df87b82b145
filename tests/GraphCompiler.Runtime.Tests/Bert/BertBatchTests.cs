using GraphCompiler.Runtime.Bert;

namespace GraphCompiler.Runtime.Tests.Bert;

public class BertBatchTests
{
    private const int Sequence = 64;
    private const int Vocabulary = 3000;

    private static readonly Lazy<List<SentencePair>> Pairs = new(() =>
    {
        // Sentences of 5..30 random pieces, so the number of candidates varies across rows.
        var random = new Random(11);
        IReadOnlyList<IReadOnlyList<int[]>> documents = [.. Enumerable.Range(0, 10).Select(_ => (IReadOnlyList<int[]>)[.. Enumerable.Range(0, 3000)
            .Select(_ => Enumerable.Range(0, random.Next(5, 31)).Select(_ => random.Next(WordPieceVocabulary.SpecialCount, Vocabulary)).ToArray())])];
        return SentencePairs.Build(documents, Sequence, seed: 1);
    });

    [Fact]
    public void Rows_are_cls_first_sep_second_sep_then_padding()
    {
        var pair = new SentencePair([10, 11, 12], [20, 21], IsNext: false);
        var batch = BertBatch.Pretraining([pair], 0, 1, sequenceLength: 10, Vocabulary, seed: 0, options: new MaskingOptions { Rate = 1e-9 });
        int[] expected = [2, 10, 11, 12, 3, 20, 21, 3, 0, 0];
        int predicted = Array.FindIndex(batch.MaskedLmLabels, l => l != BertBatch.IgnoreLabel);
        Assert.Equal(1, batch.MaskedLmLabels.Count(l => l != BertBatch.IgnoreLabel));   // at least one prediction
        Assert.Equal(expected[predicted], batch.MaskedLmLabels[predicted]);
        expected[predicted] = batch.InputIds[predicted];
        Assert.Equal(expected, batch.InputIds);
        Assert.Equal([0, 0, 0, 0, 0, 1, 1, 1, 0, 0], batch.SegmentIds);
        Assert.Equal([1, 1, 1, 1, 1, 1, 1, 1, 0, 0], batch.InputMask);
        Assert.Equal([1], batch.NextSentenceLabels);

        var single = BertBatch.Sentences([[10, 11, 12, 13, 14, 15, 16, 17, 18]], sequenceLength: 6);
        Assert.Equal([2, 10, 11, 12, 13, 3], single.InputIds);
        Assert.Equal(new int[6], single.SegmentIds);
        Assert.All(single.MaskedLmLabels, l => Assert.Equal(BertBatch.IgnoreLabel, l));
    }

    [Fact]
    public void Fifteen_percent_of_each_rows_tokens_are_predicted_and_special_tokens_never()
    {
        var pairs = Pairs.Value;
        var batch = BertBatch.Pretraining(pairs, 0, 5000, Sequence, Vocabulary, seed: 5);
        long candidates = 0, predicted = 0;
        for (int row = 0; row < batch.BatchSize; row++)
        {
            var original = pairs[row].First.Length + pairs[row].Second.Length;
            int inRow = 0;
            for (int i = row * Sequence; i < (row + 1) * Sequence; i++)
            {
                if (batch.MaskedLmLabels[i] == BertBatch.IgnoreLabel) continue;
                inRow++;
                Assert.False(WordPieceVocabulary.IsSpecial(batch.MaskedLmLabels[i]));
                Assert.Equal(1, batch.InputMask[i]);
                Assert.True(batch.InputIds[i] == WordPieceVocabulary.MaskId || !WordPieceVocabulary.IsSpecial(batch.InputIds[i]),
                    "a random replacement is a piece, never a special token");
            }
            Assert.Equal(Math.Max(1, (int)Math.Round(original * 0.15)), inRow);
            candidates += original;
            predicted += inRow;
            // [CLS], the [SEP]s and the padding are the same as without masking.
            Assert.Equal(WordPieceVocabulary.ClsId, batch.InputIds[row * Sequence]);
            Assert.Equal(2, batch.InputIds.AsSpan(row * Sequence, Sequence).Count(WordPieceVocabulary.SepId));
            Assert.Equal(Sequence - original - 3, batch.InputIds.AsSpan(row * Sequence, Sequence).Count(WordPieceVocabulary.PadId));
        }
        // Rounding per row moves the overall rate by far less than this.
        Assert.InRange(predicted / (double)candidates, 0.145, 0.155);
    }

    [Fact]
    public void Predicted_tokens_are_masked_replaced_or_kept_80_10_10()
    {
        var pairs = Pairs.Value;
        long masked = 0, replaced = 0, kept = 0;
        for (int epoch = 0; epoch < 8; epoch++)
        {
            var batch = BertBatch.Pretraining(pairs, 0, pairs.Count, Sequence, Vocabulary, seed: 9, epoch: epoch);
            for (int i = 0; i < batch.InputIds.Length; i++)
            {
                int label = batch.MaskedLmLabels[i];
                if (label == BertBatch.IgnoreLabel) continue;
                if (batch.InputIds[i] == WordPieceVocabulary.MaskId) masked++;
                else if (batch.InputIds[i] == label) kept++;
                else replaced++;
            }
        }
        long n = masked + replaced + kept;
        Assert.True(n > 500_000, $"only {n} predictions");
        // A random replacement draws the original piece again with probability 1 / pieces: then it reads as kept.
        double same = 1.0 / (Vocabulary - WordPieceVocabulary.SpecialCount);
        AssertBinomial(masked, n, 0.8, "[MASK]");
        AssertBinomial(replaced, n, 0.1 * (1 - same), "random piece");
        AssertBinomial(kept, n, 0.1 + 0.1 * same, "unchanged");
    }

    [Fact]
    public void Every_candidate_position_is_chosen_alike()
    {
        // The partial shuffle picks positions uniformly: the first and the last token of the first segment are
        // predicted as often as the rows' rates say.
        var pairs = Pairs.Value;
        var batch = BertBatch.Pretraining(pairs, 0, pairs.Count, Sequence, Vocabulary, seed: 2);
        double expectedFirst = 0, expectedLast = 0;
        long first = 0, last = 0;
        for (int row = 0; row < batch.BatchSize; row++)
        {
            int n = pairs[row].First.Length + pairs[row].Second.Length;
            double rate = Math.Max(1, Math.Round(n * 0.15)) / n;
            expectedFirst += rate;
            expectedLast += rate;
            if (batch.MaskedLmLabels[row * Sequence + 1] != BertBatch.IgnoreLabel) first++;
            if (batch.MaskedLmLabels[row * Sequence + 1 + n] != BertBatch.IgnoreLabel) last++;   // the second segment's last token
        }
        double sigma = Math.Sqrt(expectedFirst * 0.85);
        Assert.InRange(first, expectedFirst - 5 * sigma, expectedFirst + 5 * sigma);
        Assert.InRange(last, expectedLast - 5 * sigma, expectedLast + 5 * sigma);
    }

    [Fact]
    public void Masking_depends_only_on_seed_epoch_and_pair()
    {
        var pairs = Pairs.Value;
        var whole = BertBatch.Pretraining(pairs, 0, 40, Sequence, Vocabulary, seed: 3, epoch: 1);
        var part = BertBatch.Pretraining(pairs, 10, 30, Sequence, Vocabulary, seed: 3, epoch: 1);
        Assert.Equal(whole.InputIds[(10 * Sequence)..], part.InputIds);
        Assert.Equal(whole.MaskedLmLabels[(10 * Sequence)..], part.MaskedLmLabels);
        Assert.Equal(whole.NextSentenceLabels[10..], part.NextSentenceLabels);
        Assert.NotEqual(whole.InputIds, BertBatch.Pretraining(pairs, 0, 40, Sequence, Vocabulary, seed: 3, epoch: 2).InputIds);
        Assert.NotEqual(whole.InputIds, BertBatch.Pretraining(pairs, 0, 40, Sequence, Vocabulary, seed: 4, epoch: 1).InputIds);
    }

    [Fact]
    public void Max_predictions_caps_each_row_and_bad_options_are_refused()
    {
        var batch = BertBatch.Pretraining(Pairs.Value, 0, 200, Sequence, Vocabulary, seed: 1, options: new MaskingOptions { Rate = 0.5, MaxPredictions = 3 });
        for (int row = 0; row < 200; row++)
            Assert.Equal(3, batch.MaskedLmLabels.AsSpan(row * Sequence, Sequence).Length - batch.MaskedLmLabels.AsSpan(row * Sequence, Sequence).Count(BertBatch.IgnoreLabel));
        Assert.Throws<ArgumentOutOfRangeException>(() => BertBatch.Pretraining(Pairs.Value, 0, 1, Sequence, Vocabulary, 0, options: new MaskingOptions { MaskTokenRate = 0.95, RandomTokenRate = 0.1 }));
        Assert.Throws<ArgumentException>(() => BertBatch.Pretraining([new SentencePair(new int[40], new int[30], true)], 0, 1, Sequence, Vocabulary, 0));
    }

    [Fact]
    public void Masked_positions_list_each_rows_predictions_in_order_then_ignored_slots()
    {
        var batch = BertBatch.Pretraining(Pairs.Value, 0, 50, Sequence, Vocabulary, seed: 8, options: new MaskingOptions { MaxPredictions = 10 });
        var (positions, labels) = batch.MaskedPositions(10);
        Assert.Equal(500, positions.Length);
        for (int row = 0; row < 50; row++)
        {
            var expected = Enumerable.Range(row * Sequence, Sequence).Where(i => batch.MaskedLmLabels[i] != BertBatch.IgnoreLabel).ToArray();
            for (int k = 0; k < 10; k++)
            {
                int at = row * 10 + k;
                if (k < expected.Length)
                {
                    Assert.Equal(expected[k] - row * Sequence, positions[at]);
                    Assert.Equal(batch.MaskedLmLabels[expected[k]], labels[at]);
                }
                else
                {
                    Assert.Equal(0, positions[at]);
                    Assert.Equal(BertBatch.IgnoreLabel, labels[at]);
                }
            }
        }
        Assert.Throws<InvalidOperationException>(() => batch.MaskedPositions(2));
    }

    private static void AssertBinomial(long count, long n, double p, string what)
    {
        double mean = n * p, sigma = Math.Sqrt(n * p * (1 - p));
        Assert.True(Math.Abs(count - mean) <= 5 * sigma, $"{what}: {count} of {n} ({count / (double)n:P3}), expected {p:P3} ± {5 * sigma / n:P3} (5 σ)");
    }
}
