using GraphCompiler;
using static GraphCompiler.Ops;

namespace GraphCompiler.EndToEnd.Tests.Models;

/// <summary>
/// GloVe's shape at test size: two tables and their biases looked up by int32 rows and columns, a weighted
/// least-squares loss, Adagrad (accumulators from 1), so every lookup's gradient is a sparse Adagrad update.
/// </summary>
[Model(Optimizer = Optimizer.Adagrad, InitialAccumulatorValue = 1f)]
public partial class SparseAdagradModel
{
    /// <summary>Rows of every table.</summary>
    public const int Vocab = 7;

    /// <summary>Vector width (odd).</summary>
    public const int Dim = 3;

    [Loss]
    static Tensor Loss([Shape("batch", DType = DType.Int32)] Tensor rows, [Shape("batch", DType = DType.Int32)] Tensor columns, [Shape("batch")] Tensor target)
    {
        var word = Variable("word", [Vocab, Dim], Init.RandomUniform(-0.5f, 0.5f));
        var context = Variable("context", [Vocab, Dim], Init.RandomUniform(-0.5f, 0.5f));
        var bias = Variable("bias", [Vocab], Init.RandomUniform(-0.1f, 0.1f));
        var dot = ReduceSum(EmbeddingLookup(word, rows) * EmbeddingLookup(context, columns), [1]);
        return 0.5f * ReduceSum(Square(dot + EmbeddingLookup(bias, rows) - target));
    }
}
