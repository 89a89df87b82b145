using BenchmarkDotNet.Attributes;
using GraphCompiler.Runtime.Kernels;

namespace GraphCompiler.Benchmarks.Suites;

/// <summary>
/// The products of the lecture's <c>two_hidden_layers</c> train step (x[200,100] → dense 50 → dense 10),
/// forward and backward, each timed alone through <see cref="Gemm.Sgemm"/>, with a GFLOP/s column. These
/// are small and narrow (n = 10 and 50), where per-call overhead and tile waste matter more than the
/// micro-kernel's peak.
/// </summary>
[MemoryDiagnoser]
[GflopsColumn]
public class SmallSgemmBenchmark
{
    private float[] _a = [], _b = [], _c = [];

    /// <summary>One product of the step: transposes, m×n×k and the role it plays.</summary>
    [ParamsSource(nameof(Shapes))]
    public SmallShape Shape { get; set; } = Shapes[0];

    /// <summary>The five products of the step.</summary>
    public static SmallShape[] Shapes { get; } =
    [
        new("h1 x·W1", false, false, 200, 50, 100),
        new("h2 h1·W2", false, false, 200, 10, 50),
        new("dH1 dOut·W2T", false, true, 200, 50, 10),
        new("dW2 h1T·dOut", true, false, 50, 10, 200),
        new("dW1 xT·dH1", true, false, 100, 50, 200),
    ];

    /// <summary>Random operands in the stored layouts.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var s = Shape;
        _a = BenchData.Normal(s.M * s.K, seed: 21);
        _b = BenchData.Normal(s.K * s.N, seed: 22);
        _c = new float[s.M * s.N];
    }

    /// <summary>C = op(A)·op(B).</summary>
    [Benchmark]
    public void Sgemm()
    {
        var s = Shape;
        Gemm.Sgemm(s.TransA, s.TransB, s.M, s.N, s.K, 1f, _a, s.TransA ? s.M : s.K, _b, s.TransB ? s.K : s.N, 0f, _c, s.N);
    }

    /// <summary>A GEMM shape; <see cref="ToString"/> names it in the results table.</summary>
    public sealed record SmallShape(string Role, bool TransA, bool TransB, int M, int N, int K) : IFlopCounted
    {
        /// <inheritdoc />
        public double Flops => 2.0 * M * N * K;

        /// <inheritdoc />
        public override string ToString() =>
            $"{Role} {(TransA ? "T" : "N")}{(TransB ? "T" : "N")} {M}x{N}x{K}";
    }
}
