namespace GraphCompiler.Generator.Pipeline;

/// <summary>
/// Everything the compile step reads: the lowered model and its node locations relative to their
/// members, and nothing absolute, so that an edit which only moves a model leaves this equal and the
/// driver skips compiling and emitting it. A model whose lowering failed brings its public surface
/// (<see cref="SurfaceText"/>) and the IDs of its lowering errors, which the throwing bodies name.
/// </summary>
internal sealed record CompileInput(string HintName, string ClassName, string? DefinitionText, EquatableArray<NodeSource> Sources,
    string? SurfaceText, EquatableArray<string> LoweringErrorIds)
{
    /// <summary>Whether the project asked for the IR and kernel-plan dump (<c>&lt;GraphCompilerDump&gt;</c>).</summary>
    public bool Dump { get; init; }
}
