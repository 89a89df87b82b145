using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using GraphCompiler.Runtime.Kernels;

namespace GraphCompiler.Benchmarks.Suites;

/// <summary>
/// A dense layer (matmul → bias add → relu) as one <see cref="Gemm.SgemmBiasActivation"/> call, whose kernels
/// add the bias and apply relu as they store C, against <see cref="Gemm.Sgemm"/> followed by a vectorised
/// bias-and-relu pass over C — what the layer cost before the epilogue was fused. Shapes: the MLP's two
/// hidden layers (batch 128: 784 → 512, 512 → 512) and the two-layer step's first layer (200: 100 → 50).
/// </summary>
[MemoryDiagnoser]
[GflopsColumn]
public class DenseEpilogueBenchmark
{
    private float[] _x = [], _w = [], _bias = [], _y = [];

    /// <summary>One dense layer: rows (batch) × outputs × inputs.</summary>
    [ParamsSource(nameof(Shapes))]
    public SmallSgemmBenchmark.SmallShape Shape { get; set; } = Shapes[0];

    /// <summary>The dense layers timed.</summary>
    public static SmallSgemmBenchmark.SmallShape[] Shapes { get; } =
    [
        new("mlp h1", false, false, 128, 512, 784),
        new("mlp h2", false, false, 128, 512, 512),
        new("two-layer h1", false, false, 200, 50, 100),
    ];

    /// <summary>Random activations, weights and bias.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var s = Shape;
        _x = BenchData.Normal(s.M * s.K, seed: 31);
        _w = BenchData.Normal(s.K * s.N, seed: 32, stddev: 0.05f);
        _bias = BenchData.Normal(s.N, seed: 33, stddev: 0.1f);
        _y = new float[s.M * s.N];
    }

    /// <summary>Sgemm, then bias and relu in a second pass over C.</summary>
    [Benchmark(Baseline = true)]
    public void SgemmThenPass()
    {
        var s = Shape;
        Gemm.Sgemm(false, false, s.M, s.N, s.K, 1f, _x, s.K, _w, s.N, 0f, _y, s.N);
        for (int i = 0; i < s.M; i++)
        {
            var row = _y.AsSpan(i * s.N, s.N);
            TensorPrimitives.Add(row, _bias, row);
            TensorPrimitives.Max(row, 0f, row);
        }
    }

    /// <summary>One call with the bias and relu fused into the GEMM's stores.</summary>
    [Benchmark]
    public void Fused() =>
        Gemm.SgemmBiasActivation(false, false, Shape.M, Shape.N, Shape.K, _x, Shape.K, _w, Shape.N, _bias,
            GemmActivation.Relu, _y, Shape.N);
}
