using GraphCompiler;
using static GraphCompiler.Layers;
using static GraphCompiler.Ops;

namespace GraphCompiler.Benchmarks.Models;

/// <summary>The sizes of the <c>char_lstm</c> / <c>char_gru</c> comparisons, shared with <c>pytorch_reference.py</c>.</summary>
public static class CharRnnSizes
{
    /// <summary>Time steps per sequence (the PyTorch side runs the same number); the models' time dim is symbolic, run as one loop.</summary>
    public const int Steps = 100;
    public const int Batch = 64;
    public const int Vocabulary = 100;
    public const int Embedding = 64;
    public const int Hidden = 256;
    public const float LearningRate = 2e-3f;
}

/// <summary>Embedding(100, 64) → LSTM(256) over every step → Dense(100), mean sparse cross-entropy, Adam.</summary>
[Model(Optimizer = Optimizer.Adam)]
public partial class CharLstmBench
{
    [Loss]
    static Tensor Loss([Shape("batch", "time", DType = DType.Int32)] Tensor ids, [Shape("batch", "time", DType = DType.Int32)] Tensor targets) =>
        ReduceMean(SparseSoftmaxCrossEntropyWithLogits(targets,
            Dense(Lstm(Embedding(ids, CharRnnSizes.Vocabulary, CharRnnSizes.Embedding), CharRnnSizes.Hidden, returnSequences: true), CharRnnSizes.Vocabulary)));
}

/// <summary>The same with a GRU (TensorFlow's GRUCell: the reset gate applied before the candidate's product).</summary>
[Model(Optimizer = Optimizer.Adam)]
public partial class CharGruBench
{
    [Loss]
    static Tensor Loss([Shape("batch", "time", DType = DType.Int32)] Tensor ids, [Shape("batch", "time", DType = DType.Int32)] Tensor targets) =>
        ReduceMean(SparseSoftmaxCrossEntropyWithLogits(targets,
            Dense(Gru(Embedding(ids, CharRnnSizes.Vocabulary, CharRnnSizes.Embedding), CharRnnSizes.Hidden, returnSequences: true), CharRnnSizes.Vocabulary)));
}
