using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using GraphCompiler.Benchmarks.Baselines;
using GraphCompiler.Runtime.Kernels;

namespace GraphCompiler.Benchmarks.Suites;

/// <summary>
/// <c>sgemm_1024</c> and its neighbours: the runtime's packed, blocked <see cref="Gemm.Sgemm"/> on
/// square n×n products against a plain triple loop, with a GFLOP/s column (2·n³ flops per call).
/// </summary>
/// <remarks>
/// One call per iteration and few iterations: the baseline takes seconds at n = 2048, and a call of
/// the blocked kernel is long enough (≥ 1 ms at n = 512) for a single-call timing to be meaningful.
/// Run it from the repository root (BenchmarkDotNet builds a child process from the project file);
/// adding <c>--inProcess</c> on the command line adds a default job, which times the baseline for minutes.
/// </remarks>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 2, iterationCount: 7)]
[GflopsColumn]
public class SgemmBenchmark
{
    private float[] _a = [], _b = [], _c = [];

    /// <summary>The matrix order n (A, B and C are n×n).</summary>
    [Params(512, 1024, 2048)]
    public int Size { get; set; }

    /// <summary>Random A and B, zero C; then the kernels are run until the JIT has optimised them.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _a = BenchData.Normal(Size * Size, seed: 11);
        _b = BenchData.Normal(Size * Size, seed: 12);
        _c = new float[Size * Size];
        WarmUpJit();
    }

    /// <summary>
    /// With one call per iteration, the few warm-up iterations can finish before tiered compilation
    /// has promoted the kernels (it waits for a quiet period before recompiling hot methods), and the
    /// first iterations would time unoptimised code. A second of small products gets them promoted.
    /// </summary>
    private static void WarmUpJit()
    {
        const int n = 96;
        var a = BenchData.Normal(n * n, seed: 1);
        var c = new float[n * n];
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.ElapsedMilliseconds < 1000)
        {
            Gemm.Sgemm(false, false, n, n, n, 1f, a, n, a, n, 0f, c, n);
            NaiveSgemm.Multiply(a, a, c, n);
        }
    }

    /// <summary>The plain triple loop.</summary>
    [Benchmark(Baseline = true)]
    public void NaiveTripleLoop() => NaiveSgemm.Multiply(_a, _b, _c, Size);

    /// <summary>The runtime's GEMM (multi-threaded over the cores it may use).</summary>
    [Benchmark]
    public void RuntimeSgemm() =>
        Gemm.Sgemm(false, false, Size, Size, Size, 1f, _a, Size, _b, Size, 0f, _c, Size);
}
