using GraphCompiler;
using static GraphCompiler.Ops;

namespace CountVectors;

/// <summary>
/// GloVe (Pennington, Socher and Manning, 2014) as a graph: word vectors W, context vectors C and their
/// biases, fitted by weighted least squares to the log co-occurrence counts. The vocabulary size and
/// width are hyperparameters of the one [Model] class below, fixed when it is constructed.
/// </summary>
static class GloVeGraph
{
    /// <summary>
    /// J = ½ Σ_b f(X_b)·(w_{i_b}·c̃_{j_b} + b_{i_b} + b̃_{j_b} − log X_b)² over a batch of nonzero entries
    /// (rows i, columns j, log counts, weights f computed on the host). A sum, not a mean, so each entry
    /// moves its rows as GloVe's own per-entry step does. Every lookup's gradient is a sparse row update.
    /// </summary>
    public static Tensor Loss(Tensor rows, Tensor columns, Tensor logCounts, Tensor weights, int vocabulary, int dim)
    {
        using (NameScope("glove"))
        {
            var word = Variable("word", [vocabulary, dim], Init.RandomUniform(-0.5f / dim, 0.5f / dim));
            var context = Variable("context", [vocabulary, dim], Init.RandomUniform(-0.5f / dim, 0.5f / dim));
            var wordBias = Variable("word_bias", [vocabulary], Init.Zeros());
            var contextBias = Variable("context_bias", [vocabulary], Init.Zeros());
            var dot = ReduceSum(EmbeddingLookup(word, rows) * EmbeddingLookup(context, columns), [1]);
            var error = dot + EmbeddingLookup(wordBias, rows) + EmbeddingLookup(contextBias, columns) - logCounts;
            var loss = 0.5f * ReduceSum(weights * Square(error));
            Summary.Scalar("loss", loss);
            return loss;
        }
    }
}

/// <summary>GloVe trained by Adagrad with accumulators started at 1 (GloVe's rates are not this Adagrad's: see <see cref="GloVeSettings.DefaultLearningRate"/>).</summary>
[Model(Optimizer = Optimizer.Adagrad, InitialAccumulatorValue = 1f)]
public partial class GloVeModel
{
    /// <summary>Rows of every table: the vocabulary, UNK included.</summary>
    [Hyper] public int Vocab { get; }

    /// <summary>Vector width.</summary>
    [Hyper] public int Dim { get; }

    [Loss]
    Tensor Loss([Shape("batch", DType = DType.Int32)] Tensor rows, [Shape("batch", DType = DType.Int32)] Tensor columns, [Shape("batch")] Tensor logCounts, [Shape("batch")] Tensor weights) =>
        GloVeGraph.Loss(rows, columns, logCounts, weights, Vocab, Dim);
}
