using GraphCompiler;
using static GraphCompiler.Ops;

namespace GraphCompiler.EndToEnd.Tests.Models;

/// <summary><see cref="GroupedNegativeSamplingModel"/> with its table size and width as hyperparameters.</summary>
[Model(Optimizer = Optimizer.GradientDescent)]
public partial class HyperNegativeSamplingModel
{
    [Hyper] public int Vocab { get; }

    [Hyper] public int Dim { get; }

    [Loss]
    Tensor Loss([Shape("groups", "size", DType = DType.Int32)] Tensor centers, [Shape("groups", "size", DType = DType.Int32)] Tensor labels, [Shape("groups", "k", DType = DType.Int32)] Tensor negatives)
    {
        var embed = Variable("embed", [Vocab, Dim], Init.RandomUniform(-1f, 1f));
        var weights = Variable("weights", [Vocab, Dim], Init.TruncatedNormal(0f, 0.5f));
        return ReduceMean(NegativeSamplingLoss(weights, labels, negatives, EmbeddingLookup(embed, centers)));
    }
}

/// <summary>A dense layer whose sizes and initial range are hyperparameters; the range is scaled by the width.</summary>
[Model(Optimizer = Optimizer.GradientDescent)]
public partial class HyperDenseModel
{
    [Hyper] public int Inputs { get; }

    [Hyper] public int Units { get; }

    [Hyper] public float Scale { get; }

    [Loss]
    Tensor Loss([Shape("batch", "Inputs")] Tensor x, [Shape("batch", "Units")] Tensor y)
    {
        var w = Variable("kernel", [Inputs, Units], Init.RandomUniform(-Scale / Inputs, Scale / Inputs));
        var b = Variable("bias", [Units], Init.Constant(0.1f));
        return ReduceMean(Square(Tanh(MatMul(x, w) + b) - y));
    }
}

/// <summary><see cref="HyperDenseModel"/> built with Inputs 3, Units 2, Scale 1.5 as compile-time constants.</summary>
[Model(Optimizer = Optimizer.GradientDescent)]
public partial class ConstantDenseModel
{
    [Loss]
    static Tensor Loss([Shape("batch", 3)] Tensor x, [Shape("batch", 2)] Tensor y)
    {
        var w = Variable("kernel", [3, 2], Init.RandomUniform(-1.5f / 3, 1.5f / 3));
        var b = Variable("bias", [2], Init.Constant(0.1f));
        return ReduceMean(Square(Tanh(MatMul(x, w) + b) - y));
    }
}

/// <summary>A product of a [batch, 4] input with an [Inputs, Units] kernel: the constructor requires Inputs == 4.</summary>
[Model(Optimizer = Optimizer.GradientDescent)]
public partial class FixedInputModel
{
    [Hyper] public int Inputs { get; }

    [Hyper] public int Units { get; }

    [Loss]
    Tensor Loss([Shape("batch", 4)] Tensor x, [Shape("batch", "Units")] Tensor y)
    {
        var w = Variable("kernel", [Inputs, Units], Init.RandomUniform(-0.5f, 0.5f));
        return ReduceMean(Square(MatMul(x, w) - y));
    }
}

/// <summary>Two widths that the product relates: the constructor requires Inputs == Hidden.</summary>
[Model(Optimizer = Optimizer.GradientDescent)]
public partial class RelatedWidthsModel
{
    [Hyper] public int Inputs { get; }

    [Hyper] public int Hidden { get; }

    [Loss]
    Tensor Loss([Shape("batch", "Inputs")] Tensor x, [Shape("batch", 2)] Tensor y)
    {
        var w = Variable("kernel", [Hidden, 2], Init.RandomUniform(-0.5f, 0.5f));
        var b = Variable("bias", [Hidden], Init.Constant(0.25f));
        return ReduceMean(Square(MatMul(x + b, w) - y));
    }
}
