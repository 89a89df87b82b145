using GraphCompiler.Runtime.Bert;
using GraphCompiler.Runtime.Checkpoints;
using GraphCompiler.Runtime.Data;
using GraphCompiler.Runtime.Rng;
using GraphCompiler.Runtime.Training;
using static TinyBert.TinyBertNetwork;

namespace TinyBert;

/// <summary>
/// Transfer learning on a task built from the corpus: which book a sentence comes from. The same classifier is trained
/// three ways — pre-trained encoder frozen (only the new head learns), pre-trained encoder fine-tuned with the head,
/// and everything from scratch — on the same sentences, and scored on sentences of held-out documents.
/// </summary>
public static class FineTuning
{
    /// <summary>Test sentences per book (from held-out documents).</summary>
    public const int TestPerBook = 300;

    /// <summary>Sentences shorter than this many words say too little about their book to be a fair question.</summary>
    public const int MinWords = 6;

    /// <summary>Sentences as classifier inputs ([n, Sequence] ids) with their book as the label.</summary>
    public sealed record Examples(int[] Ids, int[] Labels)
    {
        /// <summary>Batches of 32 (shuffled with <paramref name="shuffleSeed"/>).</summary>
        public Dataset<(Batch<int> First, Batch<int> Second)> Batches(ulong? shuffleSeed = null)
        {
            var rows = Dataset.Zip(Dataset.FromTensorSlices(Ids, [Labels.Length, Sequence]), Dataset.FromTensorSlices(Labels, [Labels.Length]));
            return (shuffleSeed is ulong seed ? rows.Shuffle(Labels.Length, seed) : rows).Batch(32, dropRemainder: false);
        }
    }

    /// <summary><paramref name="perBook"/> random sentences (of at least <see cref="MinWords"/> words) of each book.</summary>
    public static Examples Sample(IReadOnlyList<IReadOnlyList<string>> books, WordPieceVocabulary vocabulary, int perBook, ulong seed)
    {
        var sentences = new List<int[]>();
        var labels = new List<int>();
        for (int book = 0; book < books.Count; book++)
        {
            var candidates = books[book].Where(s => BasicTokenizer.Split(s).Count >= MinWords).ToArray();
            var random = new PhiloxStream(seed, (ulong)book);
            int take = Math.Min(perBook, candidates.Length);
            for (int k = 0; k < take; k++)
            {
                // A partial Fisher–Yates shuffle picks without replacement.
                int j = k + (int)((ulong)random.NextUInt32(k) * (ulong)(candidates.Length - k) >> 32);
                (candidates[k], candidates[j]) = (candidates[j], candidates[k]);
                sentences.Add(vocabulary.Encode(candidates[k]));
                labels.Add(book);
            }
        }
        return new Examples(BertBatch.Sentences(sentences, Sequence).InputIds, [.. labels]);
    }

    /// <summary>
    /// BERT's fine-tuning schedule (its <c>warmup_proportion</c> 0.1, then linear decay to 0 at the last step) over
    /// <paramref name="epochs"/> of <paramref name="examples"/> in batches of 32. Without the warm-up, Adam moves every weight
    /// by about the full rate from the first step, on a pre-trained encoder as on a fresh one: over a hundred steps at 3e-4
    /// that is more than the scale of BERT's initial weights (σ = 0.02), which can undo much of what pre-training put there.
    /// </summary>
    public static LearningRateSchedule Schedule(float peak, int examples, int epochs)
    {
        int steps = Math.Max(1, (examples + 31) / 32 * epochs);
        return LearningRateSchedule.LinearDecay(peak, steps, Math.Max(1, steps / 10));
    }

    /// <summary>Trains and scores the three classifiers; prints one line each.</summary>
    public static void Run(string checkpoint, BookCorpus corpus, WordPieceVocabulary vocabulary, SampleOptions options)
    {
        var train = Sample(corpus.Training, vocabulary, options.FineTuneSentences, options.Seed + 1);
        var test = Sample(corpus.HeldOut, vocabulary, TestPerBook, options.Seed + 2);
        Console.WriteLine($"fine-tuning: which book? ({string.Join(", ", BookCorpus.BookNames)}); {train.Labels.Length} training sentences, " +
            $"{test.Labels.Length} held-out test sentences, {options.FineTuneEpochs} epochs of AdamW (10 % warm-up, linear decay)");

        (string Name, bool Restore, bool Freeze, float Rate)[] variants =
        [
            ("pre-trained encoder, frozen (head only)", true, true, 1e-3f),
            ("pre-trained encoder, fine-tuned", true, false, 3e-4f),
            ("same architecture from scratch", false, false, 3e-4f),
        ];
        foreach (var (name, restore, freeze, rate) in variants)
        {
            var classifier = new TinyBertClassifier(seed: options.Seed);
            if (restore)
            {
                var report = Saver.Restore(classifier, checkpoint, new RestoreOptions { Only = { "bert" } });
                if (freeze) Console.WriteLine($"  restored {report.Restored.Count} encoder variables from {checkpoint}");
            }
            if (freeze) classifier.Freeze("bert");
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var history = classifier.Fit(train.Batches(shuffleSeed: options.Seed), options.FineTuneEpochs, validationData: test.Batches(),
                callbacks: [Schedule(rate, train.Labels.Length, options.FineTuneEpochs)], metrics: [Metrics.Accuracy()], verbose: false);
            Console.WriteLine($"  {name,-42} test accuracy {history["val_accuracy"][^1],6:P1}  (train {history["accuracy"][^1]:P1}, peak learning rate {rate:G2}, {clock.Elapsed.TotalSeconds:F0} s)");
        }
    }
}
