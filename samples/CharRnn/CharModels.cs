using GraphCompiler;
using GraphCompiler.Runtime;
using static GraphCompiler.Layers;
using static GraphCompiler.Ops;

namespace CharRnn;

/// <summary>What the program needs of either model: training through Fit, and the one-character stateful step.</summary>
public interface ICharModel : IModel, GraphCompiler.Runtime.Training.IFitModel<(GraphCompiler.Runtime.Data.Batch<int> First, GraphCompiler.Runtime.Data.Batch<int> Second)>
{
    /// <summary>The logits [1, 1, vocabulary] of the character after <paramref name="id"/>, from the state the previous call left.</summary>
    NDArray<float> Next(ReadOnlySpan<int> id);
}

/// <summary>The sizes both models share.</summary>
public static class CharSizes
{
    /// <summary>Characters per training sequence (truncated backpropagation through time); the models take any length, run as one loop.</summary>
    public const int Steps = 50;
    public const int Embedding = 64;
    public const int Hidden = 256;
}

/// <summary>Keras's text-generation model: Embedding → GRU(256, return_sequences) → Dense(vocabulary), Adam.</summary>
[Model(Optimizer = Optimizer.Adam)]
public partial class CharGruModel : ICharModel
{
    static Tensor Logits(Tensor ids, bool stateful) =>
        Dense(Gru(Embedding(ids, Vocabulary.Size, CharSizes.Embedding), CharSizes.Hidden, returnSequences: true, stateful: stateful), Vocabulary.Size);

    [Loss]
    static Tensor Loss([Shape("batch", "time", DType = DType.Int32)] Tensor ids, [Shape("batch", "time", DType = DType.Int32)] Tensor targets)
    {
        var loss = ReduceMean(SparseSoftmaxCrossEntropyWithLogits(targets, Logits(ids, stateful: false)));
        Summary.Scalar("cross_entropy", loss);
        return loss;
    }

    /// <summary>One character in, the next one's logits out; the GRU's state is kept between calls (gru/state_h).</summary>
    [Output]
    static Tensor Next([Shape(1, 1, DType = DType.Int32)] Tensor id) => Logits(id, stateful: true);
}

/// <summary>The same with an LSTM (TensorFlow's BasicLSTMCell equations, forget bias 1).</summary>
[Model(Optimizer = Optimizer.Adam)]
public partial class CharLstmModel : ICharModel
{
    static Tensor Logits(Tensor ids, bool stateful) =>
        Dense(Lstm(Embedding(ids, Vocabulary.Size, CharSizes.Embedding), CharSizes.Hidden, returnSequences: true, stateful: stateful), Vocabulary.Size);

    [Loss]
    static Tensor Loss([Shape("batch", "time", DType = DType.Int32)] Tensor ids, [Shape("batch", "time", DType = DType.Int32)] Tensor targets)
    {
        var loss = ReduceMean(SparseSoftmaxCrossEntropyWithLogits(targets, Logits(ids, stateful: false)));
        Summary.Scalar("cross_entropy", loss);
        return loss;
    }

    /// <summary>One character in, the next one's logits out; the LSTM's state is kept between calls (lstm/state_c, lstm/state_h).</summary>
    [Output]
    static Tensor Next([Shape(1, 1, DType = DType.Int32)] Tensor id) => Logits(id, stateful: true);
}
