namespace GraphCompiler.Runtime;

/// <summary>
/// The states that stateful recurrent layers (<c>Layers.Gru(..., stateful: true)</c>) keep between calls:
/// non-trainable variables whose last name part starts with <c>state_</c> (<c>gru/state_h</c>,
/// <c>lstm/state_c</c>), as the generator names them.
/// </summary>
public static class RecurrentStates
{
    /// <summary>The prefix of the last name part of a kept recurrent state.</summary>
    public const string NamePrefix = "state_";

    /// <summary>Keras's <c>model.reset_states()</c>: every kept recurrent state set to zero.</summary>
    public static void Reset(IModel model)
    {
        foreach (var v in model.AllVariables)
            if (IsState(v)) v.AsBytes().Clear();
    }

    /// <summary>Whether <paramref name="v"/> is a kept recurrent state.</summary>
    public static bool IsState(Variable v) =>
        !v.Trainable && v.Name[(v.Name.LastIndexOf('/') + 1)..].StartsWith(NamePrefix, StringComparison.Ordinal);
}
