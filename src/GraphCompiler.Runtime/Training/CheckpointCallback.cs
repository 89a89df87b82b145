using GraphCompiler.Runtime.Checkpoints;

namespace GraphCompiler.Runtime.Training;

/// <summary>
/// Saves the model every <see cref="Interval"/> global steps, when training is interrupted (Ctrl+C
/// or cancellation) and when it ends — <c>tf.train.Saver</c> driven by the training loop. Checkpoints
/// are <c>&lt;directory&gt;/&lt;name&gt;-&lt;step&gt;.safetensors</c> with the <c>checkpoint</c> state file.
/// When training diverged (a variable holds NaN or infinity) the save is refused, nothing on disk changes,
/// and the callback throws a <see cref="CheckpointException"/> of kind <see cref="CheckpointErrorKind.NonFinite"/>
/// saying at which step and which checkpoint is the last good one; <see cref="Trainer.Fit"/> stops with it.
/// </summary>
public sealed class CheckpointCallback : ITrainingCallback
{
    private readonly IModel _model;
    private readonly Saver _saver;
    private long _lastSaved = -1;
    private (long Step, float Loss)? _firstNonFiniteLoss;

    /// <summary>
    /// Saves <paramref name="model"/> as <c>&lt;directory&gt;/&lt;name&gt;-&lt;step&gt;</c> every
    /// <paramref name="interval"/> global steps; <paramref name="options"/> as for <see cref="Saver"/>.
    /// </summary>
    public CheckpointCallback(IModel model, string directory, string name = "model", long interval = 1000, SaverOptions? options = null)
    {
        if (interval <= 0) throw new ArgumentOutOfRangeException(nameof(interval), interval, "the checkpoint interval must be positive");
        _model = model;
        _saver = new Saver(options);
        Directory = directory;
        Prefix = Path.Combine(directory, name);
        Interval = interval;
    }

    /// <summary>The directory holding the checkpoints and their state file.</summary>
    public string Directory { get; }

    /// <summary>The path prefix of the checkpoints (<c>directory/name</c>).</summary>
    public string Prefix { get; }

    /// <summary>Global steps between checkpoints.</summary>
    public long Interval { get; }

    /// <summary>The checkpoint paths written so far, in order.</summary>
    public List<string> Saved { get; } = new();

    /// <summary>
    /// Restores the latest checkpoint of <see cref="Directory"/> into the model (variables and global
    /// step), for resuming a run. Returns the restored global step, or null when there is none.
    /// </summary>
    public long? ResumeLatest() => _saver.RestoreLatest(_model, Directory) ? _model.GlobalStep : null;

    /// <summary>Saves when <paramref name="step"/> is a multiple of <see cref="Interval"/>; remembers the first non-finite loss for the divergence message.</summary>
    public bool OnStepEnd(long step, float loss)
    {
        if (!float.IsFinite(loss)) _firstNonFiniteLoss ??= (step, loss);
        if (step % Interval == 0) Save(step);
        return false;
    }

    /// <summary>Saves the state reached when training was interrupted.</summary>
    public void OnInterrupt(long step) => Save(step);

    /// <summary>Saves the final state.</summary>
    public void OnTrainEnd(FitResult result) => Save(result.GlobalStep);

    private void Save(long step)
    {
        if (step == _lastSaved) return;
        try
        {
            Saved.Add(_saver.Save(_model, Prefix, step));
        }
        catch (CheckpointException e) when (e.Kind == CheckpointErrorKind.NonFinite)
        {
            throw Diverged(step, e);
        }
        _lastSaved = step;
    }

    private CheckpointException Diverged(long step, CheckpointException refused)
    {
        var loss = _firstNonFiniteLoss is var (lossStep, value) ? $" (the loss was first {NonFiniteValues.Text(value)} at step {lossStep})" : "";
        return new CheckpointException(CheckpointErrorKind.NonFinite,
            $"training diverged by step {step}{loss}: {refused.Finding}; the checkpoint of step {step} was not saved and no checkpoint was deleted; {Saver.LastGoodText(Directory, refused.LastGoodCheckpoint)}",
            refused.FilePath, refused)
        {
            TensorName = refused.TensorName,
            LastGoodCheckpoint = refused.LastGoodCheckpoint,
            Finding = refused.Finding,
        };
    }
}
