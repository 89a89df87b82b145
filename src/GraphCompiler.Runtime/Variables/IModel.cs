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
}
