namespace GraphCompiler;

/// <summary>
/// Model code is evaluated by the GraphCompiler source generator while the C# compiler runs; the
/// members of this API only describe a graph. Reaching one at run time means model code was called
/// directly instead of through the generated entry points.
/// </summary>
internal static class BuildTime
{
    public static InvalidOperationException Only(string member) =>
        new($"{member} describes a graph and runs at build time only: model code is lowered by the GraphCompiler source generator. " +
            "Call the generated members of the model class (for example TrainStep or the generated entry methods) instead.");
}
