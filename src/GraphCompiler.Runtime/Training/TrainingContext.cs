namespace GraphCompiler.Runtime.Training;

/// <summary>The live state of one <see cref="Trainer.Fit"/> run, as callbacks see it.</summary>
public sealed class TrainingContext
{
    internal TrainingContext(IModel model, int? maxEpochs, long? maxSteps, long? stepsPerEpoch)
    {
        Model = model;
        MaxEpochs = maxEpochs;
        MaxSteps = maxSteps;
        StepsPerEpoch = stepsPerEpoch;
        StartGlobalStep = model.GlobalStep;
    }

    /// <summary>The model being trained.</summary>
    public IModel Model { get; }

    /// <summary>The epoch limit of this run, if any.</summary>
    public int? MaxEpochs { get; }

    /// <summary>The step limit of this run (steps of this run, not the global step), if any.</summary>
    public long? MaxSteps { get; }

    /// <summary>The global step when the run began.</summary>
    public long StartGlobalStep { get; }

    /// <summary>The current epoch, 1-based (0 before the first).</summary>
    public int Epoch { get; internal set; }

    /// <summary>The steps taken by this run so far.</summary>
    public long Steps { get; internal set; }

    /// <summary>
    /// Batches per epoch: the <see cref="FitOptions.StepsPerEpoch"/> hint, or else learned when the first epoch
    /// ends; null while unknown.
    /// </summary>
    public long? StepsPerEpoch { get; internal set; }

    /// <summary>The total steps this run will take when it can be told (for progress and ETA); null otherwise.</summary>
    public long? TotalSteps
    {
        get
        {
            long? byEpochs = MaxEpochs is int epochs && StepsPerEpoch is long perEpoch ? epochs * perEpoch : null;
            if (byEpochs is long e && MaxSteps is long s) return Math.Min(e, s);
            return byEpochs ?? (MaxEpochs == null ? MaxSteps : null);
        }
    }

    /// <summary>The loss returned by the latest step.</summary>
    public float LastLoss { get; internal set; } = float.NaN;

    /// <summary>
    /// The metrics of the epoch that just ended, by name (<c>loss</c>, <c>val_accuracy</c>, …), set by
    /// <see cref="ModelFit.Fit"/> before any callback's <see cref="ITrainingCallback.OnEpochEnd"/>; empty under
    /// <see cref="Trainer.Fit"/>, which computes only the mean loss (<see cref="EpochMetrics.MeanLoss"/>).
    /// </summary>
    public IReadOnlyDictionary<string, double> EpochLogs { get; internal set; } = new Dictionary<string, double>();
}
