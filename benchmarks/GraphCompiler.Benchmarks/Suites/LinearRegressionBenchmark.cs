using BenchmarkDotNet.Attributes;
using GraphCompiler.Benchmarks.Baselines;
using GraphCompiler.Benchmarks.Models;

namespace GraphCompiler.Benchmarks.Suites;

/// <summary>
/// The linear-regression train step, generated and fused, against the same step written the
/// obvious way in C# (baseline: what a hand-written loop with no graph machinery costs).
/// </summary>
[MemoryDiagnoser]
public class LinearRegressionBenchmark
{
    private readonly float[] _x = [1, 2, 3, 4];
    private readonly float[] _y = [0, -1, -2, -3];
    private LinearRegressionModel _model = null!;
    private HandWrittenLinearRegression _handWritten = null!;

    /// <summary>Fresh model and baseline from the same initial values.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _model = new LinearRegressionModel(seed: 1);
        _handWritten = new HandWrittenLinearRegression(_model.Variables.W.Data[0], _model.Variables.B.Data[0]);
    }

    /// <summary>The hand-written step.</summary>
    [Benchmark(Baseline = true)]
    public float HandWritten() => _handWritten.TrainStep(_x, _y, 0.01f);

    /// <summary>The generated step.</summary>
    [Benchmark]
    public float GeneratedTrainStep() => _model.TrainStep(_x, _y, 0.01f);
}
