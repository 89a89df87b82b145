using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace GraphCompiler.Benchmarks.Suites;

/// <summary>
/// A "GFLOP/s" column for GEMM benchmarks: 2·n³ floating-point operations divided by the mean time, n
/// being the benchmark's <c>Size</c> parameter, or the flops of a parameter that is <see cref="IFlopCounted"/>.
/// </summary>
public sealed class GflopsColumn : IColumn
{
    /// <summary>The parameter holding the matrix order.</summary>
    public const string SizeParameter = "Size";

    /// <inheritdoc />
    public string Id => nameof(GflopsColumn);

    /// <inheritdoc />
    public string ColumnName => "GFLOP/s";

    /// <inheritdoc />
    public bool AlwaysShow => true;

    /// <inheritdoc />
    public ColumnCategory Category => ColumnCategory.Custom;

    /// <inheritdoc />
    public int PriorityInCategory => 0;

    /// <inheritdoc />
    public bool IsNumeric => true;

    /// <inheritdoc />
    public UnitType UnitType => UnitType.Dimensionless;

    /// <inheritdoc />
    public string Legend => "Billions of floating-point operations per second: 2·Size³ (or 2·m·n·k) / mean time";

    /// <inheritdoc />
    public string GetValue(BenchmarkDotNet.Reports.Summary summary, BenchmarkCase benchmarkCase) =>
        GetValue(summary, benchmarkCase, SummaryStyle.Default);

    /// <inheritdoc />
    public string GetValue(BenchmarkDotNet.Reports.Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var statistics = summary[benchmarkCase]?.ResultStatistics;
        if (statistics is null) return "NA";
        double? flops = benchmarkCase.Parameters[SizeParameter] is int size
            ? 2.0 * size * size * size
            : benchmarkCase.Parameters.Items.Select(p => p.Value).OfType<IFlopCounted>().FirstOrDefault()?.Flops;
        return flops is { } f
            ? (f / statistics.Mean).ToString("F1", System.Globalization.CultureInfo.InvariantCulture)
            : "NA";
    }

    /// <summary>GFLOP/s of an n×n×n product that took <paramref name="nanoseconds"/>.</summary>
    public static double Gflops(int n, double nanoseconds) => 2.0 * n * n * n / nanoseconds;

    /// <inheritdoc />
    public bool IsAvailable(BenchmarkDotNet.Reports.Summary summary) => true;

    /// <inheritdoc />
    public bool IsDefault(BenchmarkDotNet.Reports.Summary summary, BenchmarkCase benchmarkCase) => false;
}

/// <summary>Adds <see cref="GflopsColumn"/> to a benchmark class.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class GflopsColumnAttribute : Attribute, IConfigSource
{
    /// <summary>A config holding the column.</summary>
    public GflopsColumnAttribute() => Config = ManualConfig.CreateEmpty().AddColumn(new GflopsColumn());

    /// <inheritdoc />
    public IConfig Config { get; }
}

/// <summary>A benchmark parameter that knows how many floating-point operations one call performs.</summary>
public interface IFlopCounted
{
    /// <summary>Floating-point operations per benchmarked call.</summary>
    double Flops { get; }
}
