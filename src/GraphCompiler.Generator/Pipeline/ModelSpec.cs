using GraphCompiler.Generator.Diagnostics;
using Microsoft.CodeAnalysis;

namespace GraphCompiler.Generator.Pipeline;

/// <summary>
/// What the transform step learns about one [Model] class, as plain equatable data: the lowered
/// model in the IR's text form (null when lowering reported errors), where each node came from
/// (relative to <see cref="Anchors"/>), and the diagnostics. When lowering failed,
/// <see cref="SurfaceText"/> is the model's public surface as far as it is known (a <c>ModelSurface</c>),
/// emitted with throwing bodies so that code using the model still compiles. Only
/// <see cref="ToCompileInput"/> goes on to the compile step; the positions stay here, for reporting.
/// </summary>
internal sealed record ModelSpec(
    string HintName,
    string ClassName,
    LocationInfo ClassLocation,
    string? DefinitionText,
    EquatableArray<NodeSource> Sources,
    EquatableArray<DiagnosticInfo> Diagnostics,
    EquatableArray<Anchor> Anchors,
    string? SurfaceText = null)
{
    public CompileInput ToCompileInput() => new(HintName, ClassName, DefinitionText, Sources, SurfaceText,
        Diagnostics.Where(d => Descriptors.ById(d.Id).DefaultSeverity == DiagnosticSeverity.Error).Select(d => d.Id).Distinct().ToEquatableArray());
}

/// <summary>
/// The source location of one graph node (by entry-point graph and unique node name) or, with a
/// null <see cref="Graph"/>, of the creation of one variable (by full name). The IR text carries
/// no locations, so these travel beside it and are re-attached after parsing.
/// </summary>
internal sealed record NodeSource(string? Graph, string Name, RelativeLocation Location);
