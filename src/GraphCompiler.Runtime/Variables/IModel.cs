namespace GraphCompiler.Runtime;

/// <summary>What every generated model exposes to the runtime (checkpoints, summaries, training loops).</summary>
public interface IModel
{
    /// <summary>All variables, including optimizer slots and <c>global_step</c> once they exist.</summary>
    VariableSet AllVariables { get; }

    /// <summary>The number of train steps taken (TensorFlow's <c>global_step</c>).</summary>
    long GlobalStep { get; set; }

    /// <summary>The graph-level seed the model was created with.</summary>
    ulong Seed { get; }

    /// <summary>
    /// Where the train step writes the summaries of its model code; null (the default) writes none
    /// and skips computing them.
    /// </summary>
    Summaries.ISummarySink? SummarySink
    {
        get => null;
        set => throw new NotSupportedException("this model has no summaries");
    }

    /// <summary>Summaries are computed and written on steps where GlobalStep is a multiple of this.</summary>
    long SummaryEvery
    {
        get => 1;
        set => throw new NotSupportedException("this model has no summaries");
    }

    /// <summary>The IR of the model's train step (or first method) in text form, for the TensorBoard graph.</summary>
    string? GraphIr => null;

    /// <summary>
    /// The <c>[Hyper]</c> values the model was constructed with, by property name, in invariant text
    /// (<c>Dim = "300"</c>). Checkpoints record them; empty for a model without hyperparameters.
    /// </summary>
    IReadOnlyDictionary<string, string> Hyperparameters => NoHyperparameters;

    private static readonly IReadOnlyDictionary<string, string> NoHyperparameters = new Dictionary<string, string>();
}
