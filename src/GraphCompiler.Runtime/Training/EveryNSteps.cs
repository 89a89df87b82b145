namespace GraphCompiler.Runtime.Training;

/// <summary>
/// Runs an action whenever the global step is a multiple of <see cref="Interval"/> (TensorFlow's
/// <c>every_n_steps</c>: aligned to the global step, so a resumed run keeps the cadence). Used for summaries and
/// checkpoints: the action receives the global step.
/// </summary>
public sealed class EveryNSteps : ITrainingCallback
{
    private readonly Action<long> _action;
    private long? _lastRunStep;

    /// <summary>Calls <paramref name="action"/> after every step whose global step is a multiple of <paramref name="interval"/>.</summary>
    /// <param name="interval">Steps between calls (at least 1).</param>
    /// <param name="action">Receives the global step.</param>
    /// <param name="runAtEnd">Also call it when training ends (normally, stopped or interrupted) unless it just ran for that step.</param>
    public EveryNSteps(long interval, Action<long> action, bool runAtEnd = false)
    {
        if (interval < 1) throw new ArgumentOutOfRangeException(nameof(interval), interval, "EveryNSteps: the interval must be at least 1 step");
        ArgumentNullException.ThrowIfNull(action);
        Interval = interval;
        _action = action;
        RunAtEnd = runAtEnd;
    }

    /// <summary>Steps between calls.</summary>
    public long Interval { get; }

    /// <summary>Whether the action also runs when training ends.</summary>
    public bool RunAtEnd { get; }

    void ITrainingCallback.OnTrainBegin(TrainingContext context) => _lastRunStep = null;

    bool ITrainingCallback.OnStepEnd(long step, float loss)
    {
        if (step % Interval == 0) Run(step);
        return false;
    }

    void ITrainingCallback.OnTrainEnd(FitResult result)
    {
        if (RunAtEnd && _lastRunStep != result.GlobalStep) Run(result.GlobalStep);
    }

    private void Run(long step)
    {
        _action(step);
        _lastRunStep = step;
    }
}
