using GraphCompiler.Runtime.Checkpoints;

namespace GraphCompiler.Runtime.Devices;

/// <summary>
/// Moves a model's variables between the host <see cref="VariableSet"/> and their device regions (named
/// after the variables), so that checkpoints are written and read from host bytes in one format: the same
/// file restores on the CPU path and on any device.
/// </summary>
public static class DeviceVariables
{
    /// <summary>Copies every variable's device region into the variable's host storage.</summary>
    /// <exception cref="ArgumentException">A variable has no region, or one of another dtype or length; the message lists them all.</exception>
    public static void CopyToHost(this DeviceMemory memory, VariableSet variables)
    {
        Check(memory, variables);
        foreach (var variable in variables)
            memory.CopyOut(variable.Name, variable.AsBytes());
    }

    /// <summary>Copies every variable's host values into its device region.</summary>
    /// <exception cref="ArgumentException">A variable has no region, or one of another dtype or length; the message lists them all.</exception>
    public static void CopyToDevice(this DeviceMemory memory, VariableSet variables)
    {
        Check(memory, variables);
        foreach (var variable in variables)
            memory.CopyIn(variable.Name, (ReadOnlySpan<byte>)variable.AsBytes());
    }

    /// <summary>
    /// <see cref="Saver.Save"/> of a model whose current values live in <paramref name="memory"/>: copies
    /// them to the host variables first. Returns the checkpoint path, as <see cref="Saver.Save"/> does.
    /// </summary>
    public static string Save(this Saver saver, IModel model, DeviceMemory memory, string prefix,
        long? globalStep = null, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(saver);
        ArgumentNullException.ThrowIfNull(model);
        memory.CopyToHost(model.AllVariables);
        return saver.Save(model, prefix, globalStep, metadata);
    }

    /// <summary>
    /// <see cref="Saver.Restore"/> of a model whose values live in <paramref name="memory"/>: restores the
    /// host variables (with all of the saver's checks), then copies them to the device.
    /// </summary>
    public static void Restore(this Saver saver, IModel model, DeviceMemory memory, string checkpointPath)
    {
        ArgumentNullException.ThrowIfNull(saver);
        ArgumentNullException.ThrowIfNull(model);
        saver.Restore(model, checkpointPath);
        memory.CopyToDevice(model.AllVariables);
    }

    private static void Check(DeviceMemory memory, VariableSet variables)
    {
        ArgumentNullException.ThrowIfNull(memory);
        ArgumentNullException.ThrowIfNull(variables);
        var problems = new List<string>();
        foreach (var variable in variables)
        {
            if (!memory.Plan.Contains(variable.Name))
                problems.Add($"variable '{variable.Name}' has no device region");
            else if (memory.Plan[variable.Name] is var region && (region.DType != variable.DType || region.Length != variable.ElementCount))
                problems.Add($"variable '{variable.Name}' is {variable.DType} x {variable.ElementCount}, its device region {region.DType} x {region.Length}");
        }
        if (problems.Count > 0)
            throw new ArgumentException("the variables do not match the device memory plan:\n  - " + string.Join("\n  - ", problems), nameof(variables));
    }
}
