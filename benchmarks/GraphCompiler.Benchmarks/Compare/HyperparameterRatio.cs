using System.Diagnostics;
using System.Globalization;
using GraphCompiler.Benchmarks.Suites;

namespace GraphCompiler.Benchmarks.Compare;

/// <summary>
/// <c>hyper</c>: the constant-dim and [Hyper]-dim train steps of <see cref="HyperparameterBenchmark"/>
/// timed in alternating rounds (each round times both, in turn first), printing the median per-round
/// ratio hyper/constant. Alternating keeps a shared machine's load changes out of the ratio, which
/// separate BenchmarkDotNet runs do not.
/// </summary>
public static class HyperparameterRatio
{
    public static int Run(int rounds)
    {
        var bench = new HyperparameterBenchmark();
        bench.Setup();
        Report("two_layers", () => bench.TwoLayersConstant(), () => bench.TwoLayersHyper(), rounds);
        Report("skip_gram", () => bench.SkipGramConstant(), () => bench.SkipGramHyper(), rounds);
        return 0;
    }

    private static void Report(string name, Action constant, Action hyper, int rounds)
    {
        for (int i = 0; i < 200; i++)
        {
            constant();
            hyper();
        }
        var ratios = new List<double>();
        var constantTimes = new List<double>();
        var hyperTimes = new List<double>();
        for (int r = 0; r < rounds; r++)
        {
            double c, h;
            if (r % 2 == 0)
            {
                c = Time(constant);
                h = Time(hyper);
            }
            else
            {
                h = Time(hyper);
                c = Time(constant);
            }
            constantTimes.Add(c);
            hyperTimes.Add(h);
            ratios.Add(h / c);
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"HYPER name={name} constant_us={Median(constantTimes):F1} hyper_us={Median(hyperTimes):F1} ratio={Median(ratios):F3} rounds={rounds}"));
    }

    /// <summary>Microseconds per step over a sample of at least 20 ms.</summary>
    private static double Time(Action step)
    {
        var clock = Stopwatch.StartNew();
        int n = 0;
        while (clock.ElapsedMilliseconds < 20)
        {
            step();
            n++;
        }
        return clock.Elapsed.TotalMicroseconds / n;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.OrderBy(v => v).ToList();
        return sorted[sorted.Count / 2];
    }
}
