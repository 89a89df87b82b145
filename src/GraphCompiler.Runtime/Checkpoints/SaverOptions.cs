namespace GraphCompiler.Runtime.Checkpoints;

/// <summary>
/// What a <see cref="Saver"/> saves and restores (<c>tf.train.Saver(var_list, max_to_keep)</c>).
/// By default every variable under its own name plus the model's global step; a subset
/// (<see cref="VariableNames"/>) or a rename map (<see cref="NameMap"/>) saves and restores exactly the
/// listed variables, leaves the others alone and ignores other tensors in the file.
/// </summary>
public sealed record SaverOptions
{
    /// <summary>How many recent checkpoints to keep on disk (TensorFlow's default 5); 0 keeps all.</summary>
    public int MaxToKeep { get; init; } = 5;

    /// <summary>Only these variables (full names), each under its own name. Exclusive with <see cref="NameMap"/>.</summary>
    public IReadOnlyList<string>? VariableNames { get; init; }

    /// <summary>
    /// Checkpoint tensor name → model variable full name, like TensorFlow's <c>var_list</c> dict: restores
    /// a variable from a tensor saved under another name. Exclusive with <see cref="VariableNames"/>.
    /// </summary>
    public IReadOnlyDictionary<string, string>? NameMap { get; init; }

    /// <summary>True when neither a subset nor a rename map is given: the file must match the whole model.</summary>
    public bool CoversWholeModel => VariableNames is null && NameMap is null;
}
