namespace GraphCompiler.Runtime.Checkpoints;

/// <summary>
/// What <see cref="Saver.Restore(IModel, string, RestoreOptions)"/> takes from another model's checkpoint to
/// start fine-tuning (TensorFlow's <c>init_from_checkpoint(ckpt, {"old_scope/": "new_scope/"})</c>). Scope
/// names match a variable of that full name and every variable under them; a trailing <c>/</c> is optional.
/// </summary>
public sealed class RestoreOptions
{
    /// <summary>
    /// Checkpoint scope → model scope: <c>Map = { ["encoder"] = "body" }</c> restores the model's
    /// <c>body/dense/kernel</c> from the checkpoint's <c>encoder/dense/kernel</c>. The longest matching model
    /// scope wins. Unless <see cref="Only"/> is given, exactly the variables under the mapped model scopes are restored.
    /// </summary>
    public IDictionary<string, string> Map { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The model variables or scopes to restore; empty means those under <see cref="Map"/>'s model scopes, or every variable without a map.</summary>
    public IList<string> Only { get; } = new List<string>();

    /// <summary>When true, a selected variable without a tensor in the checkpoint keeps its value and is listed in <see cref="RestoreReport.Missing"/>; when false (the default) it is an error.</summary>
    public bool AllowMissing { get; init; }

    /// <summary>
    /// Also restore the selected variables' optimizer slots (<c>body/w/Adam</c>). Off by default: fine-tuning
    /// starts its optimizer afresh, and the other model may have used another optimizer.
    /// </summary>
    public bool IncludeOptimizerSlots { get; init; }

    /// <summary>Also restore the global step from the checkpoint. Off by default: fine-tuning counts its own steps (and schedules) from 0.</summary>
    public bool RestoreGlobalStep { get; init; }
}

/// <summary>What a fine-tuning restore did: which variables came from which tensors, and what it left alone.</summary>
public sealed record RestoreReport(
    IReadOnlyList<(string Variable, string Tensor)> Restored,
    IReadOnlyList<string> Missing,
    IReadOnlyList<string> Unused)
{
    /// <summary>One line per restored variable (<c>body/w &lt;- encoder/w [4, 8]</c>), then the missing variables and the unused tensors.</summary>
    public override string ToString()
    {
        var lines = new List<string> { $"restored {Restored.Count} variable{(Restored.Count == 1 ? "" : "s")}" };
        lines.AddRange(Restored.Select(r => r.Variable == r.Tensor ? "  " + r.Variable : $"  {r.Variable} <- {r.Tensor}"));
        if (Missing.Count > 0) lines.Add("not in the checkpoint, left as they were: " + string.Join(", ", Missing));
        if (Unused.Count > 0) lines.Add("checkpoint tensors not restored: " + string.Join(", ", Unused));
        return string.Join("\n", lines);
    }
}
