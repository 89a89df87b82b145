namespace GraphCompiler.Runtime.Training;

/// <summary>How <see cref="Trainer.Fit"/> runs.</summary>
public sealed class FitOptions
{
    /// <summary>
    /// Passes over the dataset. When neither this nor <see cref="MaxSteps"/> is set, one epoch; when only
    /// <see cref="MaxSteps"/> is set, as many epochs as the step limit needs (use this with <c>Repeat()</c>).
    /// </summary>
    public int? Epochs { get; init; }

    /// <summary>The most steps this run takes (counted from the start of the run, not the global step).</summary>
    public long? MaxSteps { get; init; }

    /// <summary>Callbacks, called in this order.</summary>
    public IReadOnlyList<ITrainingCallback> Callbacks { get; init; } = [];

    /// <summary>
    /// Steps between progress lines when output is redirected; 0 turns the default console progress off.
    /// Ignored when <see cref="Progress"/> is given.
    /// </summary>
    public int LogInterval { get; init; } = 100;

    /// <summary>The progress reporter; null means <see cref="ProgressReporter.ForConsole"/> (unless <see cref="LogInterval"/> is 0).</summary>
    public ProgressReporter? Progress { get; init; }

    /// <summary>
    /// The global-step contract. False (default): <c>Fit</c> adds one to <see cref="IModel.GlobalStep"/> after
    /// each <c>trainStep</c> call. True: the train step advances it itself (as a generated <c>TrainStep</c> with a
    /// global step does), and <c>Fit</c> only checks that it advanced.
    /// </summary>
    public bool StepIncrementsGlobalStep { get; init; }

    /// <summary>Batches per epoch when known in advance, so the first epoch already shows an ETA.</summary>
    public long? StepsPerEpoch { get; init; }

    /// <summary>Cancelling interrupts training as Ctrl+C does (after the current step, with <c>OnInterrupt</c>).</summary>
    public CancellationToken CancellationToken { get; init; }

    /// <summary>
    /// Whether Ctrl+C interrupts training gracefully while <c>Fit</c> runs (a second Ctrl+C terminates as usual).
    /// </summary>
    public bool HandleCtrlC { get; init; } = true;

    /// <summary>
    /// Whether to dispose each <see cref="Data.Batch{T}"/> (also inside a tuple) after the step returns, so its
    /// buffer is reused. Turn it off if the train step keeps references to batch memory.
    /// </summary>
    public bool ReleaseBatches { get; init; } = true;
}
