namespace GraphCompiler.Runtime.Training;

/// <summary>
/// A metric accumulated over the batches of an epoch or an evaluation (Keras's <c>metrics=[...]</c>): each batch
/// adds its mean loss and size and, for the accuracies, the model's class scores and labels
/// (<see cref="IFitModel{TBatch}.Classify"/>). Create them with <see cref="Metrics"/>.
/// </summary>
public abstract class Metric
{
    /// <summary>The name in <see cref="History"/> and the logs (<c>accuracy</c>; <c>val_accuracy</c> on validation data).</summary>
    public abstract string Name { get; }

    /// <summary>Whether it needs the model's predictions, not only the loss.</summary>
    public virtual bool NeedsPredictions => false;

    /// <summary>Starts a new accumulation.</summary>
    public abstract void Reset();

    /// <summary>Adds one batch: its mean loss, its size, and its predictions when <see cref="NeedsPredictions"/>.</summary>
    public abstract void Update(float meanLoss, int count, Classified? predictions);

    /// <summary>The value over the batches since <see cref="Reset"/> (NaN before any).</summary>
    public abstract double Result();

    /// <summary>A fresh metric of the same kind, so that training and validation accumulate apart.</summary>
    public abstract Metric Clone();
}

/// <summary>The metrics of <see cref="ModelFit.Fit"/> and <see cref="ModelFit.Evaluate"/>.</summary>
public static class Metrics
{
    /// <summary>The mean loss over examples (each batch's mean loss weighted by its size), <c>loss</c>.</summary>
    public static Metric MeanLoss() => new MeanLossMetric("loss", exponentiate: false);

    /// <summary>
    /// <c>exp</c> of the mean loss, <c>perplexity</c>: for a loss that is the mean cross-entropy in nats per
    /// predicted token, the perplexity of the model on the data.
    /// </summary>
    public static Metric Perplexity() => new MeanLossMetric("perplexity", exponentiate: true);

    /// <summary>The fraction of examples whose highest score is at their label, <c>accuracy</c> (ties count against it: the first maximum wins).</summary>
    public static Metric Accuracy() => new TopKMetric("accuracy", 1, firstMaximum: true);

    /// <summary>
    /// The fraction of examples whose label's score is among the <paramref name="k"/> highest, <c>top_k_accuracy</c>
    /// (<c>tf.nn.in_top_k</c>: fewer than k scores strictly above the label's; a non-finite score never counts).
    /// </summary>
    public static Metric TopKAccuracy(int k) =>
        k >= 1 ? new TopKMetric($"top_{k}_accuracy", k, firstMaximum: false) : throw new ArgumentOutOfRangeException(nameof(k), k, "TopKAccuracy: k must be at least 1");

    private sealed class MeanLossMetric(string name, bool exponentiate) : Metric
    {
        private double _sum, _count;

        public override string Name => name;

        public override void Reset() => (_sum, _count) = (0, 0);

        public override void Update(float meanLoss, int count, Classified? predictions)
        {
            _sum += (double)meanLoss * count;
            _count += count;
        }

        public override double Result() => _count == 0 ? double.NaN : exponentiate ? Math.Exp(_sum / _count) : _sum / _count;

        public override Metric Clone() => new MeanLossMetric(name, exponentiate);
    }

    private sealed class TopKMetric(string name, int k, bool firstMaximum) : Metric
    {
        private long _hits, _count;

        public override string Name => name;

        public override bool NeedsPredictions => true;

        public override void Reset() => (_hits, _count) = (0, 0);

        public override void Update(float meanLoss, int count, Classified? predictions)
        {
            if (predictions is not { } p)
                throw new InvalidOperationException($"the metric '{name}' needs the model's class scores: give the model a Predict method that takes the loss's inputs but the last and returns [batch, classes] scores, with Int32 labels [batch] as the loss's last input");
            var outputs = p.Outputs;
            var labels = p.Labels.Span;
            if (outputs.Rank != 2 || outputs.Shape[0] != labels.Length)
                throw new InvalidOperationException($"the metric '{name}' needs scores of shape [batch, classes] for {labels.Length} labels, got [{string.Join(", ", outputs.Shape)}]");
            int classes = outputs.Shape[1];
            for (int i = 0; i < labels.Length; i++)
                if (InTopK(outputs.Data.AsSpan(i * classes, classes), labels[i], k, firstMaximum)) _hits++;
            _count += labels.Length;
        }

        public override double Result() => _count == 0 ? double.NaN : (double)_hits / _count;

        public override Metric Clone() => new TopKMetric(name, k, firstMaximum);

        /// <summary>Fewer than k scores above the label's; with <paramref name="firstMaximum"/> an equal score before the label also counts as above (argmax).</summary>
        private static bool InTopK(ReadOnlySpan<float> scores, int label, int k, bool firstMaximum)
        {
            if ((uint)label >= (uint)scores.Length || !float.IsFinite(scores[label])) return false;
            float target = scores[label];
            int above = 0;
            for (int c = 0; c < scores.Length; c++)
                if (scores[c] > target || (firstMaximum && c < label && scores[c] == target)) above++;
            return above < k;
        }
    }
}
