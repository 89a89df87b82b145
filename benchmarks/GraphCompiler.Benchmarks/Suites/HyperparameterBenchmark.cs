using BenchmarkDotNet.Attributes;
using GraphCompiler.Benchmarks.Models;

namespace GraphCompiler.Benchmarks.Suites;

/// <summary>
/// The cost of [Hyper] dims: the same train steps with constant dims (the baselines) and with dims bound
/// at construction, which the generated kernels take as arguments instead of literals.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkDotNet.Configs.BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class HyperparameterBenchmark
{
    private const int Batch = 128, Negatives = 5;

    private readonly float[] _x = BenchData.Normal(TwoLayersModel.Batch * TwoLayersModel.Inputs, seed: 1);
    private readonly float[] _y = BenchData.Normal(TwoLayersModel.Batch * TwoLayersModel.Outputs, seed: 2);
    private readonly int[] _centers = Ids(Batch, 3), _contexts = Ids(Batch, 4), _negatives = Ids(Batch * Negatives, 5);
    private TwoLayersModel _constantLayers = null!;
    private HyperTwoLayersModel _hyperLayers = null!;
    private SkipGramNegativeModel _constantSkipGram = null!;
    private HyperSkipGramNegativeModel _hyperSkipGram = null!;

    private static int[] Ids(int n, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => random.Next(SkipGramNegativeModel.Vocabulary)).ToArray();
    }

    [GlobalSetup]
    public void Setup()
    {
        _constantLayers = new TwoLayersModel(seed: 1);
        _hyperLayers = new HyperTwoLayersModel(inputs: TwoLayersModel.Inputs, hidden: TwoLayersModel.Hidden, outputs: TwoLayersModel.Outputs, seed: 1);
        _constantSkipGram = new SkipGramNegativeModel(seed: 1);
        _hyperSkipGram = new HyperSkipGramNegativeModel(vocab: SkipGramNegativeModel.Vocabulary, dim: SkipGramNegativeModel.Dim, seed: 1);
    }

    /// <summary>two_hidden_layers with constant dims.</summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory("two_layers")]
    public float TwoLayersConstant() => _constantLayers.TrainStep(_x, _y, 0.01f);

    /// <summary>two_hidden_layers with [Hyper] widths.</summary>
    [Benchmark]
    [BenchmarkCategory("two_layers")]
    public float TwoLayersHyper() => _hyperLayers.TrainStep(_x, _y, 0.01f);

    /// <summary>Skip-gram negative sampling (10,000 × 128) with constant dims.</summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory("skip_gram")]
    public float SkipGramConstant() => _constantSkipGram.TrainStep(_centers, _contexts, _negatives, 0.1f);

    /// <summary>Skip-gram negative sampling with [Hyper] vocabulary and width.</summary>
    [Benchmark]
    [BenchmarkCategory("skip_gram")]
    public float SkipGramHyper() => _hyperSkipGram.TrainStep(_centers, _contexts, _negatives, 0.1f);
}
