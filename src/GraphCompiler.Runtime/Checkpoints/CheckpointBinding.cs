namespace GraphCompiler.Runtime.Checkpoints;

/// <summary>One tensor of a checkpoint and the model variable it is saved from and restored into.</summary>
internal readonly record struct CheckpointBinding(string TensorName, Variable Variable)
{
    /// <summary>Pairs tensor names with model variables as the options say, checking every named variable exists.</summary>
    public static List<CheckpointBinding> Resolve(IModel model, SaverOptions options)
    {
        var variables = model.AllVariables;
        var bindings = new List<CheckpointBinding>();
        if (options.NameMap is { } map)
        {
            foreach (var (tensorName, variableName) in map)
                bindings.Add(new(tensorName, Find(variables, variableName, $"the rename map entry '{tensorName}' -> '{variableName}'")));
        }
        else if (options.VariableNames is { } names)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var name in names)
            {
                if (!seen.Add(name)) throw new ArgumentException($"the variable list names '{name}' twice", nameof(options));
                bindings.Add(new(name, Find(variables, name, "the variable list")));
            }
        }
        else
        {
            foreach (var variable in variables) bindings.Add(new(variable.Name, variable));
        }
        return bindings;
    }

    private static Variable Find(VariableSet variables, string name, string where) =>
        variables.TryGet(name, out var variable)
            ? variable
            : throw new CheckpointException($"{where} names variable '{name}', which the model does not have; it has: {string.Join(", ", variables.Names)}");
}
