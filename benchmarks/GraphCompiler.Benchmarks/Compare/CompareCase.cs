namespace GraphCompiler.Benchmarks.Compare;

/// <summary>One benchmark of the compare mode.</summary>
/// <param name="Name">The benchmark's name, shared with the PyTorch script (<c>two_hidden_layers</c>, ...).</param>
/// <param name="RunOurs">Runs the given number of generated train steps (or kernel calls).</param>
/// <param name="RunBaseline">Runs the given number of hand-written steps, or null where there is none worth timing.</param>
/// <param name="Check">
/// Runs generated and hand-written side by side from the same start and returns the largest relative
/// difference of their results: proves the baseline computes the same math.
/// </param>
/// <param name="FlopsPerStep">Floating-point operations per step, to print GFLOP/s (kernels only).</param>
/// <param name="Samples">Fewer samples than the mode's default, for steps that take seconds (a whole training run).</param>
/// <param name="Details">Extra <c>key=value</c> fields for the OURS line, read after timing (a run's test accuracy).</param>
public sealed record CompareCase(
    string Name,
    Action<int> RunOurs,
    Action<int>? RunBaseline,
    Func<double> Check,
    double? FlopsPerStep = null,
    int? Samples = null,
    Func<string>? Details = null);
