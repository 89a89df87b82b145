using GraphCompiler;
using static GraphCompiler.Ops;

namespace GraphCompiler.EndToEnd.Tests.Models;

/// <summary>
/// NCE over 12 classes with 2 true labels per example, 5 log-uniform candidates a step and accidental
/// hits removed, plus the word2vec negative-sampling loss over the same weights: small enough for the
/// reference interpreter and for hand-written reference losses.
/// </summary>
[Model(Optimizer = Optimizer.GradientDescent)]
public partial class SampledLossModel
{
    /// <summary>The number of classes (rows of the tables).</summary>
    public const int Classes = 12;

    /// <summary>The embedding width.</summary>
    public const int Dim = 4;

    /// <summary>Candidates sampled per step.</summary>
    public const int Sampled = 5;

    /// <summary>The op seed of the sampler.</summary>
    public const int SamplerSeed = 77;

    [Loss]
    static Tensor Loss([Shape("n", DType = DType.Int32)] Tensor centers, [Shape("n", 2, DType = DType.Int32)] Tensor labels, [Shape("n", 3, DType = DType.Int32)] Tensor negatives)
    {
        var embed = Variable("embed", [Classes, Dim], Init.RandomUniform(-1f, 1f));
        var weights = Variable("weights", [Classes, Dim], Init.TruncatedNormal(0f, 0.5f));
        var biases = Variable("biases", [Classes], Init.RandomUniform(-0.5f, 0.5f));
        var inputs = EmbeddingLookup(embed, centers);
        var nce = NceLoss(weights, biases, labels, inputs, numSampled: Sampled, numClasses: Classes, numTrue: 2, removeAccidentalHits: true, seed: SamplerSeed);
        var firstLabels = Squeeze(Slice(labels, [0, 0], [-1, 1]), [1]);
        var negative = NegativeSamplingLoss(weights, firstLabels, negatives, inputs);
        return ReduceMean(nce) + ReduceMean(negative);
    }

    /// <summary>The NCE loss per example.</summary>
    [Output]
    static Tensor Nce([Shape("n", DType = DType.Int32)] Tensor centers, [Shape("n", 2, DType = DType.Int32)] Tensor labels)
    {
        var embed = Variable("embed", [Classes, Dim], Init.RandomUniform(-1f, 1f));
        var weights = Variable("weights", [Classes, Dim], Init.TruncatedNormal(0f, 0.5f));
        var biases = Variable("biases", [Classes], Init.RandomUniform(-0.5f, 0.5f));
        return NceLoss(weights, biases, labels, EmbeddingLookup(embed, centers), numSampled: Sampled, numClasses: Classes, numTrue: 2, removeAccidentalHits: true, seed: SamplerSeed);
    }

    /// <summary>The negative-sampling loss per example.</summary>
    [Output]
    static Tensor NegativeSampling([Shape("n", DType = DType.Int32)] Tensor centers, [Shape("n", DType = DType.Int32)] Tensor labels, [Shape("n", 3, DType = DType.Int32)] Tensor negatives)
    {
        var embed = Variable("embed", [Classes, Dim], Init.RandomUniform(-1f, 1f));
        var weights = Variable("weights", [Classes, Dim], Init.TruncatedNormal(0f, 0.5f));
        return NegativeSamplingLoss(weights, labels, negatives, EmbeddingLookup(embed, centers));
    }
}

/// <summary>
/// word2vec's negative sampling on grouped pairs: [groups, size] centre words and labels, each group
/// sharing one draw of [groups, k] noise words (the word2vec sample's default layout).
/// </summary>
[Model(Optimizer = Optimizer.GradientDescent)]
public partial class GroupedNegativeSamplingModel
{
    /// <summary>The number of classes (rows of the tables).</summary>
    public const int Classes = 10;

    /// <summary>The embedding width (odd: the products' vector tails are exercised).</summary>
    public const int Dim = 5;

    [Loss]
    static Tensor Loss([Shape("groups", "size", DType = DType.Int32)] Tensor centers, [Shape("groups", "size", DType = DType.Int32)] Tensor labels, [Shape("groups", "k", DType = DType.Int32)] Tensor negatives)
    {
        var embed = Variable("embed", [Classes, Dim], Init.RandomUniform(-1f, 1f));
        var weights = Variable("weights", [Classes, Dim], Init.TruncatedNormal(0f, 0.5f));
        return ReduceMean(NegativeSamplingLoss(weights, labels, negatives, EmbeddingLookup(embed, centers)));
    }
}

/// <summary>NCE whose class count is a hyperparameter: the tables' rows and the sampler's range, bound at construction.</summary>
[Model(Optimizer = Optimizer.GradientDescent)]
public partial class HyperNceModel
{
    [Hyper] public int Classes { get; }

    [Loss]
    Tensor Loss([Shape("n", DType = DType.Int32)] Tensor centers, [Shape("n", 1, DType = DType.Int32)] Tensor labels)
    {
        var embed = Variable("embed", [Classes, 3], Init.RandomUniform(-1f, 1f));
        var weights = Variable("weights", [Classes, 3], Init.TruncatedNormal(0f, 0.5f));
        var biases = Variable("biases", [Classes], Init.RandomUniform(-0.5f, 0.5f));
        return ReduceMean(NceLoss(weights, biases, labels, EmbeddingLookup(embed, centers), numSampled: 4, numClasses: Classes, removeAccidentalHits: true, seed: 21));
    }
}
