using GraphCompiler.Generator.Pipeline;

namespace GraphCompiler.Generator.Lowering;

/// <summary>
/// Stops lowering one entry method at the first error: the rest of its graph would be built from a
/// wrong or missing value, and further messages would only be noise.
/// </summary>
internal sealed class LoweringException(DiagnosticInfo diagnostic) : Exception(diagnostic.Id)
{
    public DiagnosticInfo Diagnostic { get; } = diagnostic;
}
