using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Model;

public enum Severity
{
    Info,
    Warning,
    Error,
}

/// <summary>
/// A diagnostic raised by the compiler stages (after lowering) as plain data; the generator maps
/// it to a Roslyn diagnostic at <see cref="Source"/>. IDs are banded per stage, see docs/diagnostics.md.
/// </summary>
public sealed record CompilerDiagnostic(string Id, Severity Severity, string Message, SourceSpan? Source);

/// <summary>What emitting one model produced: the C# source, diagnostics and the model's statistics.</summary>
public sealed record EmitResult(string Source, IReadOnlyList<CompilerDiagnostic> Diagnostics, ModelStats Stats);

/// <summary>Figures the build reports per model (info diagnostic and generated summary comment).</summary>
public sealed record ModelStats(long Parameters, int KernelsBeforeFusion, int KernelsAfterFusion, string ArenaBytes, string FlopsPerStep = "0");
