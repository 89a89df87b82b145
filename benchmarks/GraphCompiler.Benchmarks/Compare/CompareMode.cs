using System.Globalization;

namespace GraphCompiler.Benchmarks.Compare;

/// <summary>
/// <c>compare</c>: times each benchmark with <see cref="StepTimer"/> and prints machine-readable lines
/// for <c>compare-pytorch.sh</c>:
/// <code>
/// CHECK name=&lt;name&gt; max_rel_diff=&lt;generated vs hand-written&gt;
/// OURS name=&lt;name&gt; us=&lt;median µs per step&gt; [gflops=&lt;GFLOP/s&gt;]
/// BASELINE name=&lt;name&gt; us=&lt;median µs per hand-written step&gt;
/// SKIP name=&lt;name&gt; reason=&lt;why&gt;
/// </code>
/// </summary>
public static class CompareMode
{
    /// <summary>Generated and hand-written results further apart than this mean a baseline computes something else.</summary>
    public const double CheckTolerance = 1e-3;

    private const int DefaultSamples = 31;

    /// <summary>Runs the mode; returns the process exit code.</summary>
    /// <param name="args">Options after <c>compare</c>: <c>--samples N</c>, <c>--only NAME</c> (repeatable), <c>--no-baseline</c>.</param>
    public static int Run(IReadOnlyList<string> args)
    {
        int samples = DefaultSamples;
        var only = new HashSet<string>(StringComparer.Ordinal);
        bool baselines = true;
        for (int i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--samples" when i + 1 < args.Count && int.TryParse(args[i + 1], out samples) && samples > 0:
                    i++;
                    break;
                case "--only" when i + 1 < args.Count:
                    only.Add(args[++i]);
                    break;
                case "--no-baseline":
                    baselines = false;
                    break;
                default:
                    Console.Error.WriteLine($"compare: unknown or incomplete option '{args[i]}' (options: --samples N, --only NAME, --no-baseline)");
                    return 2;
            }
        }

        var cases = CompareCases.All().ToDictionary(c => c.Name, StringComparer.Ordinal);
        foreach (var name in only)
        {
            if (!CompareCases.Names.Contains(name))
            {
                Console.Error.WriteLine($"compare: no benchmark named '{name}' (known: {string.Join(", ", CompareCases.Names)})");
                return 2;
            }
        }

        Console.Error.WriteLine($"compare: {Environment.ProcessorCount} processors, {samples} samples per benchmark, median reported");
        int failures = 0;
        foreach (var name in CompareCases.Names)
        {
            if (only.Count > 0 ? !only.Contains(name) : CompareCases.OnRequest.Contains(name)) continue;
            if (!cases.TryGetValue(name, out var benchmark))
            {
                Console.WriteLine($"SKIP name={name} reason={CompareCases.Mlp784SkipReason}");
                continue;
            }
            if (!Measure(benchmark, samples, baselines)) failures++;
        }
        return failures == 0 ? 0 : 1;
    }

    private static bool Measure(CompareCase benchmark, int samples, bool baselines)
    {
        double difference = benchmark.Check();
        Console.WriteLine($"CHECK name={benchmark.Name} max_rel_diff={Format(difference, "E2")}");
        if (!(difference <= CheckTolerance))
        {
            Console.Error.WriteLine($"compare: {benchmark.Name}: generated and hand-written results differ by {difference:E2} (tolerance {CheckTolerance:E0}); not timing it");
            return false;
        }

        samples = Math.Min(samples, benchmark.Samples ?? samples);
        double us = StepTimer.MedianMicroseconds(benchmark.RunOurs, samples);
        string gflops = benchmark.FlopsPerStep is { } flops ? $" gflops={Format(flops / us / 1e3, "F1")}" : "";
        string details = benchmark.Details is { } read ? " " + read() : "";
        Console.WriteLine($"OURS name={benchmark.Name} us={Format(us, "G6")}{gflops}{details}");

        if (baselines && benchmark.RunBaseline is { } baseline)
            Console.WriteLine($"BASELINE name={benchmark.Name} us={Format(StepTimer.MedianMicroseconds(baseline, samples), "G6")}");
        return true;
    }

    private static string Format(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}
