namespace GraphCompiler.Generator.Pipeline;

/// <summary>
/// Everything the compile step reads: the lowered model and its node locations relative to their
/// members, and nothing absolute, so that an edit which only moves a model leaves this equal and the
/// driver skips compiling and emitting it.
/// </summary>
internal sealed record CompileInput(string HintName, string ClassName, string? DefinitionText, EquatableArray<NodeSource> Sources);
