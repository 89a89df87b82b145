using GraphCompiler.Benchmarks.Baselines;
using GraphCompiler.Benchmarks.Models;

namespace GraphCompiler.Benchmarks.Suites;

/// <summary>What the two-layer suite and the compare mode share: the learning rate and the baseline's start.</summary>
public static class TwoLayersCase
{
    /// <summary>Learning rate of every step (the PyTorch twin uses the same).</summary>
    public const float LearningRate = 0.01f;

    /// <summary>A hand-written network starting from the model's current weights.</summary>
    public static HandWrittenTwoLayers HandWrittenFrom(TwoLayersModel model)
    {
        var h1 = model.Variables.TwoLayers.H1;
        var h2 = model.Variables.TwoLayers.H2;
        return new HandWrittenTwoLayers(h1.Weights.Data, h1.Biases.Data, h2.Weights.Data, h2.Biases.Data);
    }
}
