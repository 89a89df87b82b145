namespace GraphCompiler.Generator.Pipeline;

/// <summary>
/// What the compile step produced for one model: the generated source (null when there is none) and
/// the diagnostics of the compiler stages, at locations relative to the model's anchors (null: at
/// the model class), turned into Roslyn diagnostics only when reported.
/// </summary>
internal sealed record CompiledModel(string HintName, string? Source, EquatableArray<CompiledDiagnostic> Diagnostics)
{
    /// <summary>The IR after each pass and the kernel plan, as a comment-only C# file; null unless asked for.</summary>
    public string? DumpSource { get; init; }
}

/// <summary>One diagnostic of the compile step, as plain data.</summary>
internal sealed record CompiledDiagnostic(string Id, EquatableArray<string> Args, RelativeLocation? Location);

/// <summary>One generated file, the only thing the source output step sees.</summary>
internal sealed record GeneratedFile(string HintName, string Text);
