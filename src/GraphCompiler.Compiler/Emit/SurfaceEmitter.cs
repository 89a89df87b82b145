using GraphCompiler.Compiler.Model;

namespace GraphCompiler.Compiler.Emit;

/// <summary>
/// The generated class of a model with build errors: the same public members as a compiled model
/// (constructors, <c>Variables</c> with the variables known so far, every entry method and
/// <c>TrainStep</c> with its parameters and return type, the gradient set with <c>ComputeGradients</c> and
/// <c>ApplyGradients</c> when asked for, the <c>Ir</c> constants), each body
/// throwing with <paramref name="reason"/>. The code using the model keeps compiling, so one
/// mistake in model code shows as its own diagnostic only.
/// </summary>
public static class SurfaceEmitter
{
    public static string Emit(ModelSurface surface, string reason)
    {
        var fail = $"throw new InvalidOperationException({CSharpNames.StringLiteral(reason)});";
        var setClass = surface.ClassName + "Variables";
        var body = new List<string>(ModelShell.StateMembers(setClass))
        {
            "string? GraphCompiler.Runtime.IModel.GraphIr => null;",
            $"/// <summary>The model has build errors; creating it throws.</summary>\npublic {surface.ClassName}({ModelEmitter.ConstructorParameters(surface.Hypers)}) => {fail}",
            $"/// <summary>The model has build errors; creating it throws.</summary>\npublic {surface.ClassName}({ModelEmitter.DeviceConstructorParameters(surface.Hypers)}) => {fail}",
            $"/// <summary>The model has build errors; creating it throws.</summary>\npublic {surface.ClassName}({surface.ClassName} shareVariablesWith) => {fail}",
            $"/// <summary>The model has build errors.</summary>\npublic void InitializeVariables() => {fail}",
        };
        body.AddRange(FreezeVariants.SurfaceMembers(surface.Freezable, fail.TrimEnd(';')));
        // The gradient set's sizes read the derived dimensions as the compiled model's do.
        body.AddRange(ModelEmitter.DerivedDimMembers(surface.Hypers));
        body.AddRange(GradientSetEmitter.SurfaceMembers(surface, fail));
        foreach (var e in surface.Entries)
            body.Add($"/// <summary>The model has build errors; <c>{e.Method}</c> throws.</summary>\n{e.Declaration} => {fail}");
        var constants = surface.Entries.Select(e => e.Method).Distinct(StringComparer.Ordinal).Select(m => $"    public const string {m} = \"\";");
        body.Add($"/// <summary>The model has build errors, so it has no IR.</summary>\npublic static class Ir\n{{\n{string.Join("\n", constants)}\n}}");
        body.Add(VariableSetEmitter.Emit(setClass, surface.Variables, ModelEmitter.HyperDims(surface.Hypers)));
        // The train step's signature stands in for the loss's: every member throws, so only the inputs matter.
        var adapter = FitAdapterEmitter.Emit(surface.Entries.FirstOrDefault(e => e.IsTrain), surface.Entries, "", fail.TrimEnd(';'));
        if (adapter is { } fit) body.AddRange(fit.Members);
        return ModelShell.File(surface.Namespace, surface.ClassName, $"// GraphCompiler model {surface.ClassName}: {reason}.", body, adapter?.Interfaces);
    }
}
