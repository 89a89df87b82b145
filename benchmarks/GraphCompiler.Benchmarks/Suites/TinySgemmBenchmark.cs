using BenchmarkDotNet.Attributes;
using GraphCompiler.Runtime.Kernels;

namespace GraphCompiler.Benchmarks.Suites;

/// <summary>
/// The tiny products of a word2vec training step, per group of a batch: logits = h·noiseᵀ (16x5x128),
/// dX = dLogits·noise (16x128x5) and dNoise = dLogitsᵀ·h (5x128x16), batched over 8 groups and over 128
/// one-row groups, through <see cref="Gemm.BatchedSgemm"/> (which sends them to the small-product kernel).
/// Each call is a few microseconds, so per-product set-up shows directly in the timings.
/// </summary>
[MemoryDiagnoser]
[GflopsColumn]
public class TinySgemmBenchmark
{
    private float[] _a = [], _b = [], _c = [];

    /// <summary>One batched product of the step.</summary>
    [ParamsSource(nameof(Shapes))]
    public TinyShape Shape { get; set; } = Shapes[0];

    /// <summary>The three products, for 8 groups of 16 rows and for 128 groups of one row.</summary>
    public static TinyShape[] Shapes { get; } =
    [
        new("logits", false, true, 8, 16, 5, 128),
        new("dX", false, false, 8, 16, 128, 5),
        new("dNoise", true, false, 8, 5, 128, 16),
        new("logits", false, true, 128, 1, 5, 128),
        new("dX", false, false, 128, 1, 128, 5),
        new("dNoise", true, false, 128, 5, 128, 1),
    ];

    /// <summary>Random operands, one matrix of each per group, densely strided.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var s = Shape;
        _a = BenchData.Normal(s.Batch * s.M * s.K, seed: 31);
        _b = BenchData.Normal(s.Batch * s.K * s.N, seed: 32);
        _c = new float[s.Batch * s.M * s.N];
    }

    /// <summary>C_i = op(A_i)·op(B_i) for every group i.</summary>
    [Benchmark]
    public void BatchedSgemm()
    {
        var s = Shape;
        Gemm.BatchedSgemm(s.TransA, s.TransB, s.Batch, s.M, s.N, s.K, 1f,
            _a, s.TransA ? s.M : s.K, s.M * s.K, _b, s.TransB ? s.K : s.N, s.K * s.N, 0f, _c, s.N, s.M * s.N);
    }

    /// <summary>A batched GEMM shape; <see cref="ToString"/> names it in the results table.</summary>
    public sealed record TinyShape(string Role, bool TransA, bool TransB, int Batch, int M, int N, int K) : IFlopCounted
    {
        /// <inheritdoc />
        public double Flops => 2.0 * Batch * M * N * K;

        /// <inheritdoc />
        public override string ToString() =>
            $"{Role} {(TransA ? "T" : "N")}{(TransB ? "T" : "N")} {Batch}x[{M}x{N}x{K}]";
    }
}
