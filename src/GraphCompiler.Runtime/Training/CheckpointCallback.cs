using GraphCompiler.Runtime.Checkpoints;

namespace GraphCompiler.Runtime.Training;

/// <summary>
/// Saves the model every <see cref="Interval"/> global steps, when training is interrupted (Ctrl+C
/// or cancellation) and when it ends — <c>tf.train.Saver</c> driven by the training loop. Checkpoints
/// are <c>&lt;directory&gt;/&lt;name&gt;-&lt;step&gt;.safetensors</c> with the <c>checkpoint</c> state file.
/// </summary>
public sealed class CheckpointCallback : ITrainingCallback
{
    private readonly IModel _model;
    private readonly Saver _saver;
    private long _lastSaved = -1;

    public CheckpointCallback(IModel model, string directory, string name = "model", long interval = 1000, SaverOptions? options = null)
    {
        if (interval <= 0) throw new ArgumentOutOfRangeException(nameof(interval), interval, "the checkpoint interval must be positive");
        _model = model;
        _saver = new Saver(options);
        Directory = directory;
        Prefix = Path.Combine(directory, name);
        Interval = interval;
    }

    public string Directory { get; }

    /// <summary>The path prefix of the checkpoints (<c>directory/name</c>).</summary>
    public string Prefix { get; }

    public long Interval { get; }

    /// <summary>The checkpoint paths written so far, in order.</summary>
    public List<string> Saved { get; } = new();

    /// <summary>
    /// Restores the latest checkpoint of <see cref="Directory"/> into the model (variables and global
    /// step), for resuming a run. Returns the restored global step, or null when there is none.
    /// </summary>
    public long? ResumeLatest() => _saver.RestoreLatest(_model, Directory) ? _model.GlobalStep : null;

    public bool OnStepEnd(long step, float loss)
    {
        if (step % Interval == 0) Save(step);
        return false;
    }

    public void OnInterrupt(long step) => Save(step);

    public void OnTrainEnd(FitResult result) => Save(result.GlobalStep);

    private void Save(long step)
    {
        if (step == _lastSaved) return;
        System.IO.Directory.CreateDirectory(Directory);
        Saved.Add(_saver.Save(_model, Prefix, step));
        _lastSaved = step;
    }
}
