using BenchmarkDotNet.Attributes;
using GraphCompiler;
using static GraphCompiler.Ops;

namespace GraphCompiler.Benchmarks;

[Model]
public partial class BenchLinearModel
{
    [Loss]
    static Tensor Loss([Shape("n")] Tensor x, [Shape("n")] Tensor y)
    {
        var W = Variable("W", [1], Init.Constant(0.3f));
        var b = Variable("b", [1], Init.Constant(-0.3f));
        return ReduceSum(Square(W * x + b - y));
    }
}

/// <summary>
/// The linear-regression train step, generated and fused, against the same step written the
/// obvious way in C# (baseline: what a hand-written loop with no graph machinery costs).
/// </summary>
[MemoryDiagnoser]
public class LinearRegressionBenchmark
{
    private readonly float[] _x = [1, 2, 3, 4];
    private readonly float[] _y = [0, -1, -2, -3];
    private BenchLinearModel _model = null!;
    private float _w, _b;

    [GlobalSetup]
    public void Setup()
    {
        _model = new BenchLinearModel();
        _w = 0.3f;
        _b = -0.3f;
    }

    [Benchmark(Baseline = true)]
    public float HandWritten()
    {
        float loss = 0, gw = 0, gb = 0;
        for (int i = 0; i < _x.Length; i++)
        {
            float d = _w * _x[i] + _b - _y[i];
            loss += d * d;
            gw += 2 * d * _x[i];
            gb += 2 * d;
        }
        _w -= 0.01f * gw;
        _b -= 0.01f * gb;
        return loss;
    }

    [Benchmark]
    public float GeneratedTrainStep() => _model.TrainStep(_x, _y, 0.01f);
}
