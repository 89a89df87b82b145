namespace GraphCompiler.Runtime.Training;

/// <summary>What one epoch produced.</summary>
/// <param name="Epoch">The epoch number, 1-based.</param>
/// <param name="Steps">Steps in this epoch.</param>
/// <param name="MeanLoss">The mean of the step losses over the epoch.</param>
/// <param name="GlobalStep">The global step at the end of the epoch.</param>
public sealed record EpochMetrics(int Epoch, long Steps, float MeanLoss, long GlobalStep);

/// <summary>The outcome of <see cref="Trainer.Fit"/>.</summary>
public sealed class FitResult
{
    internal FitResult(long steps, long globalStep, bool interrupted, ITrainingCallback? stoppedBy, float lastLoss, IReadOnlyList<EpochMetrics> epochs)
    {
        Steps = steps;
        GlobalStep = globalStep;
        Interrupted = interrupted;
        StoppedBy = stoppedBy;
        LastLoss = lastLoss;
        Epochs = epochs;
    }

    /// <summary>Steps taken by this run.</summary>
    public long Steps { get; }

    /// <summary>The global step at the end.</summary>
    public long GlobalStep { get; }

    /// <summary>True when Ctrl+C or the cancellation token ended the run.</summary>
    public bool Interrupted { get; }

    /// <summary>The first callback that asked to stop (e.g. <see cref="EarlyStopping"/>), or null.</summary>
    public ITrainingCallback? StoppedBy { get; }

    /// <summary>True when a callback asked to stop.</summary>
    public bool StoppedEarly => StoppedBy != null;

    /// <summary>The loss of the last step (NaN if no step ran).</summary>
    public float LastLoss { get; }

    /// <summary>The epochs that ran to the end of the dataset, in order.</summary>
    public IReadOnlyList<EpochMetrics> Epochs { get; }
}
