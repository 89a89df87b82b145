using BenchmarkDotNet.Attributes;
using GraphCompiler.Benchmarks.Baselines;
using GraphCompiler.Benchmarks.Models;

namespace GraphCompiler.Benchmarks.Suites;

/// <summary>
/// The lecture's <c>two_hidden_layers</c> train step (x [200, 100] → 50 → 10, mean squared error, SGD),
/// generated, against the same step hand-written in plain C#.
/// </summary>
[MemoryDiagnoser]
public class TwoLayersBenchmark
{
    private readonly float[] _x = BenchData.Normal(TwoLayersModel.Batch * TwoLayersModel.Inputs, seed: 1);
    private readonly float[] _y = BenchData.Normal(TwoLayersModel.Batch * TwoLayersModel.Outputs, seed: 2);
    private TwoLayersModel _model = null!;
    private HandWrittenTwoLayers _handWritten = null!;

    /// <summary>Fresh model and baseline from the same initial values.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _model = new TwoLayersModel(seed: 1);
        _handWritten = TwoLayersCase.HandWrittenFrom(_model);
    }

    /// <summary>The hand-written step.</summary>
    [Benchmark(Baseline = true)]
    public float HandWritten() => _handWritten.TrainStep(_x, _y, TwoLayersCase.LearningRate);

    /// <summary>The generated step.</summary>
    [Benchmark]
    public float GeneratedTrainStep() => _model.TrainStep(_x, _y, TwoLayersCase.LearningRate);
}
