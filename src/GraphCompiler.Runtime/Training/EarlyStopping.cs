namespace GraphCompiler.Runtime.Training;

/// <summary>Whether a smaller or a larger metric is better.</summary>
public enum MetricMode
{
    /// <summary>Smaller is better (losses, error rates).</summary>
    Min,

    /// <summary>Larger is better (accuracy).</summary>
    Max,
}

/// <summary>
/// Stops training when a validation metric stops improving (Keras' <c>EarlyStopping</c>). The metric is computed
/// by a delegate (typically <c>() =&gt; Trainer.Evaluate(validation, evalStep)</c>) at the end of every epoch, or
/// every <see cref="EvaluateEverySteps"/> global steps when that is set. An evaluation improves when it beats the
/// best so far by more than <see cref="MinDelta"/>; after <see cref="Patience"/> evaluations in a row without
/// improvement, training stops. A NaN metric never improves. State resets when a run begins.
/// </summary>
public sealed class EarlyStopping : ITrainingCallback
{
    private readonly Func<float> _metric;

    /// <summary>Creates the callback.</summary>
    /// <param name="metric">Computes the validation metric.</param>
    /// <param name="patience">Stop after this many evaluations in a row without improvement (at least 1).</param>
    /// <param name="minDelta">The least change that counts as an improvement (non-negative).</param>
    /// <param name="mode">Whether smaller or larger is better.</param>
    /// <param name="evaluateEverySteps">Evaluate every this many global steps; 0 evaluates at each epoch end.</param>
    public EarlyStopping(Func<float> metric, int patience, float minDelta = 0f, MetricMode mode = MetricMode.Min, long evaluateEverySteps = 0)
    {
        ArgumentNullException.ThrowIfNull(metric);
        if (patience < 1) throw new ArgumentOutOfRangeException(nameof(patience), patience, "EarlyStopping: patience must be at least 1 evaluation");
        if (!(minDelta >= 0)) throw new ArgumentOutOfRangeException(nameof(minDelta), minDelta, "EarlyStopping: minDelta must be non-negative");
        if (evaluateEverySteps < 0) throw new ArgumentOutOfRangeException(nameof(evaluateEverySteps), evaluateEverySteps, "EarlyStopping: evaluateEverySteps must be non-negative");
        _metric = metric;
        Patience = patience;
        MinDelta = minDelta;
        Mode = mode;
        EvaluateEverySteps = evaluateEverySteps;
    }

    /// <summary>Evaluations in a row without improvement after which training stops.</summary>
    public int Patience { get; }

    /// <summary>
    /// Keras's <c>EarlyStopping(monitor=…)</c> under <see cref="ModelFit.Fit"/>: watches the metric named
    /// <paramref name="monitor"/> of each epoch's logs (<c>val_loss</c>, <c>val_accuracy</c>, …; see
    /// <see cref="TrainingContext.EpochLogs"/>). Without <paramref name="mode"/>, larger is better for the
    /// accuracies and smaller for everything else, as Keras's <c>mode='auto'</c>.
    /// </summary>
    public EarlyStopping(string monitor, int patience, float minDelta = 0f, MetricMode? mode = null)
        : this(() => float.NaN, patience, minDelta, mode ?? (monitor.Contains("accuracy", StringComparison.Ordinal) ? MetricMode.Max : MetricMode.Min))
    {
        ArgumentException.ThrowIfNullOrEmpty(monitor);
        Monitor = monitor;
    }

    /// <summary>The metric watched in the epoch logs, or null when a delegate computes it.</summary>
    public string? Monitor { get; }

    /// <summary>The least change that counts as an improvement.</summary>
    public float MinDelta { get; }

    /// <summary>Whether smaller or larger is better.</summary>
    public MetricMode Mode { get; }

    /// <summary>Global steps between evaluations; 0 means at each epoch end.</summary>
    public long EvaluateEverySteps { get; }

    /// <summary>The best value seen in this run (NaN before the first evaluation).</summary>
    public float BestValue { get; private set; } = float.NaN;

    /// <summary>The global step at which <see cref="BestValue"/> was measured.</summary>
    public long BestStep { get; private set; }

    /// <summary>Evaluations since the last improvement.</summary>
    public int EvaluationsWithoutImprovement { get; private set; }

    /// <summary>The global step at which this callback asked to stop, or null.</summary>
    public long? StoppedAtStep { get; private set; }

    private TrainingContext? _context;

    void ITrainingCallback.OnTrainBegin(TrainingContext context)
    {
        _context = context;
        BestValue = float.NaN;
        BestStep = context.Model.GlobalStep;
        EvaluationsWithoutImprovement = 0;
        StoppedAtStep = null;
    }

    bool ITrainingCallback.OnStepEnd(long step, float loss) =>
        EvaluateEverySteps > 0 && step % EvaluateEverySteps == 0 && Evaluate(step);

    bool ITrainingCallback.OnEpochEnd(int epoch, EpochMetrics metrics) =>
        EvaluateEverySteps == 0 && Evaluate(metrics.GlobalStep);

    private bool Evaluate(long step)
    {
        float value = Monitor is null ? _metric() : Logged(Monitor);
        if (IsImprovement(value))
        {
            BestValue = value;
            BestStep = step;
            EvaluationsWithoutImprovement = 0;
            return false;
        }
        EvaluationsWithoutImprovement++;
        if (EvaluationsWithoutImprovement < Patience) return false;
        StoppedAtStep = step;
        return true;
    }

    private float Logged(string monitor)
    {
        var logs = _context?.EpochLogs ?? new Dictionary<string, double>();
        return logs.TryGetValue(monitor, out var value)
            ? (float)value
            : throw new InvalidOperationException($"EarlyStopping monitors '{monitor}', but the epoch logged {(logs.Count == 0 ? "no metrics (use ModelFit.Fit, or the delegate constructor with Trainer.Fit)" : string.Join(", ", logs.Keys))}");
    }

    private bool IsImprovement(float value)
    {
        if (float.IsNaN(value)) return false;
        if (float.IsNaN(BestValue)) return true;
        return Mode == MetricMode.Min ? value < BestValue - MinDelta : value > BestValue + MinDelta;
    }
}
