using BenchmarkDotNet.Attributes;
using GraphCompiler.Benchmarks.Baselines;
using GraphCompiler.Benchmarks.Compare;
using GraphCompiler.Benchmarks.Models;
using static GraphCompiler.Benchmarks.Baselines.Mlp784Shapes;

namespace GraphCompiler.Benchmarks.Suites;

/// <summary>
/// The <c>mlp_784_512_512_10</c> train step (batch 128, ReLU, softmax cross-entropy, SGD), generated,
/// against the same step hand-written in plain C#.
/// </summary>
[MemoryDiagnoser]
public class Mlp784Benchmark
{
    private readonly float[] _x = BenchData.Normal(Batch * Inputs, seed: 21);
    private readonly int[] _labels = BenchData.Labels(Batch, Classes, seed: 22);
    private Mlp784Model _model = null!;
    private HandWrittenMlp784 _handWritten = null!;

    /// <summary>Fresh model and baseline from the same initial values.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _model = new Mlp784Model(seed: 1);
        _handWritten = Mlp784Case.HandWrittenFrom(_model);
    }

    /// <summary>The hand-written step.</summary>
    [Benchmark(Baseline = true)]
    public float HandWritten() => _handWritten.TrainStep(_x, _labels, Mlp784Case.LearningRate);

    /// <summary>The generated step.</summary>
    [Benchmark]
    public float GeneratedTrainStep() => _model.TrainStep(_x, _labels, Mlp784Case.LearningRate);
}

/// <summary>What the MLP suite and the compare mode share.</summary>
public static class Mlp784Case
{
    /// <summary>Learning rate of every step (the PyTorch twin uses the same).</summary>
    public const float LearningRate = 0.01f;

    /// <summary>A hand-written network starting from the model's current weights.</summary>
    public static HandWrittenMlp784 HandWrittenFrom(Mlp784Model model)
    {
        var mlp = model.Variables.Mlp;
        return new HandWrittenMlp784(
            mlp.H1.Weights.Data, mlp.H1.Biases.Data,
            mlp.H2.Weights.Data, mlp.H2.Biases.Data,
            mlp.Logits.Weights.Data, mlp.Logits.Biases.Data);
    }

    /// <summary>The compare-mode case.</summary>
    public static CompareCase Create()
    {
        var x = BenchData.Normal(Batch * Inputs, seed: 21);
        var labels = BenchData.Labels(Batch, Classes, seed: 22);
        var model = new Mlp784Model(seed: 1);
        var handWritten = HandWrittenFrom(model);
        return new CompareCase(
            CompareCases.Mlp784Name,
            steps => { for (int i = 0; i < steps; i++) model.TrainStep(x, labels, LearningRate); },
            steps => { for (int i = 0; i < steps; i++) handWritten.TrainStep(x, labels, LearningRate); },
            () =>
            {
                var fresh = new Mlp784Model(seed: 1);
                var reference = HandWrittenFrom(fresh);
                double worst = 0;
                for (int step = 0; step < 3; step++)
                {
                    worst = Math.Max(worst, Agreement.RelativeDifference(
                        fresh.TrainStep(x, labels, LearningRate), reference.TrainStep(x, labels, LearningRate)));
                }
                return worst;
            });
    }
}
