namespace GraphCompiler.Runtime.Training;

/// <summary>
/// What <see cref="ModelFit.Fit"/> recorded (Keras's <c>History</c>): per epoch, every metric on the training data
/// (<c>loss</c>, <c>accuracy</c>, …) and on the validation data (<c>val_loss</c>, <c>val_accuracy</c>, …).
/// </summary>
public sealed class History
{
    private readonly List<IReadOnlyDictionary<string, double>> _epochs = [];

    internal History() { }

    /// <summary>Each completed epoch's metrics by name, in order.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, double>> Epochs => _epochs;

    /// <summary>The metric names, as the first epoch logged them.</summary>
    public IEnumerable<string> Keys => _epochs.Count == 0 ? [] : _epochs[0].Keys;

    /// <summary>One metric over the epochs (<c>history["val_loss"]</c>, Keras's <c>history.history['val_loss']</c>).</summary>
    public IReadOnlyList<double> this[string metric] =>
        _epochs.Count > 0 && !_epochs[0].ContainsKey(metric)
            ? throw new KeyNotFoundException($"History has no metric '{metric}'; it has {string.Join(", ", Keys)}")
            : _epochs.Select(e => e[metric]).ToList();

    /// <summary>The outcome of the training loop (steps, global step, interrupted, stopped early); null after a smoke test.</summary>
    public FitResult? Result { get; internal set; }

    /// <summary>The smoke test's report when <c>Fit</c> ran with <c>smokeTest: true</c>; null otherwise.</summary>
    public SmokeTestReport? SmokeTest { get; internal set; }

    internal void Add(IReadOnlyDictionary<string, double> epoch) => _epochs.Add(epoch);
}
