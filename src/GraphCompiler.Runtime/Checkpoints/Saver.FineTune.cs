namespace GraphCompiler.Runtime.Checkpoints;

public sealed partial class Saver
{
    /// <summary>
    /// Restores a subset of <paramref name="model"/>'s variables from a checkpoint of another model, renaming
    /// scopes on the way (<see cref="RestoreOptions"/>): the start of fine-tuning. Every selected variable is
    /// checked first; a shape or dtype mismatch names the variable, its checkpoint tensor and both shapes, and a
    /// missing tensor is an error unless <see cref="RestoreOptions.AllowMissing"/>; no variable changes unless
    /// all pass. Optimizer slots and the global step are left alone unless asked for. A scope in the options
    /// that matches no model variable is an <see cref="ArgumentException"/> naming the scopes the model has.
    /// </summary>
    public static RestoreReport Restore(IModel model, string checkpointPath, RestoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(checkpointPath);
        ArgumentNullException.ThrowIfNull(options);
        var file = DataFilePath(checkpointPath);
        if (!File.Exists(file)) throw NotFound(checkpointPath, file);
        var checkpoint = SafeTensorsFile.Read(file);

        var map = options.Map.Select(kv => (From: Scope(kv.Key, nameof(options.Map)), To: Scope(kv.Value, nameof(options.Map))))
            .OrderByDescending(m => m.To.Length).ToList();
        var selectors = options.Only.Count > 0 ? options.Only.Select(s => Scope(s, nameof(options.Only))).ToList() : map.Select(m => m.To).ToList();
        var names = model.AllVariables.Names.ToList();
        foreach (var scope in selectors)
            if (!names.Any(n => InScope(scope, n)))
                throw new ArgumentException(
                    $"'{scope}' matches no variable of {model.GetType().Name}; its top-level scopes and variables are: {string.Join(", ", names.Select(n => n.Split('/')[0]).Distinct(StringComparer.Ordinal))}",
                    nameof(options));

        var selected = model.AllVariables
            .Where(v => selectors.Count == 0 || selectors.Any(s => InScope(s, v.Name)))
            .Where(v => options.IncludeOptimizerSlots || !IsOptimizerSlot(model.AllVariables, v))
            .ToList();
        var bindings = new List<CheckpointBinding>();
        var missing = new List<string>();
        var problems = new List<string>();
        foreach (var variable in selected)
        {
            var rename = map.FirstOrDefault(m => InScope(m.To, variable.Name));
            var tensorName = rename.To is null ? variable.Name : rename.From + variable.Name.Substring(rename.To.Length);
            var binding = new CheckpointBinding(tensorName, variable);
            if (options.AllowMissing && !checkpoint.TryGet(tensorName, out _))
            {
                missing.Add(variable.Name);
                continue;
            }
            CheckBinding(binding, checkpoint, problems);
            bindings.Add(binding);
        }
        if (bindings.Count == 0 && problems.Count == 0)
            problems.Add($"none of the {selected.Count} selected variables ({string.Join(", ", selected.Select(v => v.Name))}) has a tensor in the checkpoint");
        SafeTensor? stepTensor = null;
        if (options.RestoreGlobalStep && (!checkpoint.TryGet(GlobalStepTensorName, out stepTensor) || stepTensor.DType != DType.Int64 || stepTensor.Shape.Count != 0))
            problems.Add($"the global step was asked for, but the checkpoint has no I64 [] tensor '{GlobalStepTensorName}'");
        CheckThenCopy(model, checkpointPath, checkpoint, bindings, stepTensor, problems);
        var used = new HashSet<string>(bindings.Select(b => b.TensorName), StringComparer.Ordinal) { GlobalStepTensorName };
        return new RestoreReport(
            bindings.Select(b => (b.Variable.Name, b.TensorName)).ToList(),
            missing,
            checkpoint.Tensors.Select(t => t.Name).Where(n => !used.Contains(n)).ToList());
    }

    private static string Scope(string scope, string option)
    {
        var trimmed = scope?.TrimEnd('/') ?? "";
        return trimmed.Length > 0 ? trimmed : throw new ArgumentException($"an empty scope name in {option}", "options");
    }

    private static bool InScope(string scope, string name) =>
        name == scope || name.StartsWith(scope + "/", StringComparison.Ordinal);

    /// <summary>A slot is how the train step names one: a non-trainable variable directly under a trainable one (<c>w/Adam</c> of <c>w</c>).</summary>
    private static bool IsOptimizerSlot(VariableSet variables, Variable v)
    {
        int slash = v.Name.LastIndexOf('/');
        return !v.Trainable && slash > 0 && variables.TryGet(v.Name.Substring(0, slash), out var owner) && owner.Trainable;
    }
}
