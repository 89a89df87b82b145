namespace GraphCompiler.Runtime.Training;

/// <summary>
/// Hooks into <see cref="Trainer.Fit"/>. Every method has an empty default, so implement only what you need.
/// Order within one <c>Fit</c>: <see cref="OnTrainBegin"/> once; <see cref="OnStepEnd"/> after every step;
/// <see cref="OnEpochEnd"/> after every epoch that ran to the end of the dataset; <see cref="OnInterrupt"/> if
/// Ctrl+C or the cancellation token stopped training; <see cref="OnTrainEnd"/> last (also after an interrupt or
/// a stop request, not after an exception). Each event goes to the callbacks in the order they are listed,
/// the default progress reporter last.
/// </summary>
public interface ITrainingCallback
{
    /// <summary>Before the first step; <paramref name="context"/> stays live (epoch, steps) for the whole run.</summary>
    void OnTrainBegin(TrainingContext context)
    {
    }

    /// <summary>
    /// After a train step, once <see cref="IModel.GlobalStep"/> has advanced. <paramref name="step"/> is the new
    /// global step (the number of steps taken so far, across runs). Return true to stop training after this step.
    /// </summary>
    bool OnStepEnd(long step, float loss) => false;

    /// <summary>After the epoch numbered <paramref name="epoch"/> (1-based) ended. Return true to stop training.</summary>
    bool OnEpochEnd(int epoch, EpochMetrics metrics) => false;

    /// <summary>
    /// Training was interrupted (Ctrl+C or the cancellation token) after the step that brought the global step
    /// to <paramref name="step"/>; the model is in a consistent state, so this is the place to save it.
    /// </summary>
    void OnInterrupt(long step)
    {
    }

    /// <summary>After the last step, with the outcome.</summary>
    void OnTrainEnd(FitResult result)
    {
    }
}
