using GraphCompiler.Compiler.Passes.Optimizers;

namespace GraphCompiler.Compiler.Passes;

/// <summary>
/// The variables a train step leaves alone. <c>[Model(Frozen = ...)]</c> freezes scopes at build time;
/// <c>[Model(Freezable = ...)]</c> names the scopes that the generated <c>Freeze</c> may freeze at run
/// time, one train-step variant per combination. Both travel in the optimizer settings (they shape the
/// train step and nothing else), as <c>|</c>-separated scope names. A name freezes the variable of that
/// full name and every variable under it as a scope (<c>body</c> matches <c>body/dense/kernel</c>, not <c>body2/w</c>).
/// </summary>
public static class FreezeSets
{
    public const string FrozenKey = "frozen";
    public const string FreezableKey = "freezable";

    /// <summary>
    /// At most this many freezable scopes: every combination is a train-step variant with its own
    /// kernels (2ⁿ − 1 of them), and past 15 the generated code grows faster than anyone needs.
    /// </summary>
    public const int MaxFreezable = 4;

    public static IReadOnlyList<string> Frozen(OptimizerSpec spec) => Split(spec.GetString(FrozenKey, ""));

    public static IReadOnlyList<string> Freezable(OptimizerSpec spec) => Split(spec.GetString(FreezableKey, ""));

    /// <summary>The settings text of a list of scope names.</summary>
    public static string Join(IEnumerable<string> scopes) => string.Join("|", scopes);

    /// <summary>A scope name as the user may write it (<c>body/</c>) in the form compared (<c>body</c>).</summary>
    public static string Normalize(string scope) => scope.TrimEnd('/');

    public static bool Matches(string scope, string variableName)
    {
        var s = Normalize(scope);
        return s.Length > 0 && (variableName == s || variableName.StartsWith(s + "/", StringComparison.Ordinal));
    }

    public static bool IsFrozen(IEnumerable<string> scopes, string variableName) => scopes.Any(s => Matches(s, variableName));

    private static IReadOnlyList<string> Split(string text) =>
        text.Split(new[] { '|' }, StringSplitOptions.RemoveEmptyEntries);
}
