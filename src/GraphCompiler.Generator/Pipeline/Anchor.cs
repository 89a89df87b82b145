namespace GraphCompiler.Generator.Pipeline;

/// <summary>
/// Where a member declaration (the method, helper or class that holds some located code) starts: its
/// file, the offset of its first token and that token's line. Node locations are kept relative to
/// their anchor (<see cref="RelativeLocation"/>), so that an edit above a member moves only the anchor.
/// </summary>
internal sealed record Anchor(string FilePath, int Start, int Line);
