using GraphCompiler;
using static GraphCompiler.Ops;
using static GraphCompiler.Rnn;

namespace GraphCompiler.EndToEnd.Tests.Models;

/// <summary>
/// tf.nn.static_rnn over a BasicLSTMCell(5) with sequence lengths: 4 steps of 3 features. The loss reads
/// every output and both parts of the final state, so every gradient path is exercised.
/// </summary>
[Model(Optimizer = Optimizer.GradientDescent)]
public partial class LstmRnnModel
{
    static (Tensor[] Outputs, Tensor[] State) Run(Tensor x, Tensor lengths) =>
        StaticRnn(BasicLstmCell(5), Unstack(x, 1), sequenceLength: lengths);

    [Loss]
    static Tensor Loss([Shape("batch", 4, 3)] Tensor x, [Shape("batch", DType = DType.Int32)] Tensor lengths, [Shape("batch", 4, 5)] Tensor y)
    {
        var (outputs, state) = Run(x, lengths);
        return ReduceSum(Square(Stack(outputs, 1) - y)) + ReduceSum(state[0] * Tanh(state[1]));
    }

    [Output]
    static Tensor Outputs([Shape("batch", 4, 3)] Tensor x, [Shape("batch", DType = DType.Int32)] Tensor lengths) => Stack(Run(x, lengths).Outputs, 1);

    [Output]
    static Tensor FinalState([Shape("batch", 4, 3)] Tensor x, [Shape("batch", DType = DType.Int32)] Tensor lengths) => Stack(Run(x, lengths).State, 0);
}

/// <summary>
/// The same over a GRUCell(5), stacked on a BasicRNNCell(4) by a MultiRNNCell (its final state is read by
/// the loss only: one more entry would pass the kernel-count warning GC0510).
/// </summary>
[Model(Optimizer = Optimizer.GradientDescent)]
public partial class GruRnnModel
{
    static (Tensor[] Outputs, Tensor[] State) Run(Tensor x, Tensor lengths) =>
        StaticRnn(MultiRnnCell(BasicRnnCell(4), GruCell(5)), Unstack(x, 1), sequenceLength: lengths);

    [Loss]
    static Tensor Loss([Shape("batch", 4, 3)] Tensor x, [Shape("batch", DType = DType.Int32)] Tensor lengths, [Shape("batch", 4, 5)] Tensor y)
    {
        var (outputs, state) = Run(x, lengths);
        return ReduceSum(Square(Stack(outputs, 1) - y)) + ReduceSum(state[0]) + ReduceSum(Square(state[1]));
    }

    [Output]
    static Tensor Outputs([Shape("batch", 4, 3)] Tensor x, [Shape("batch", DType = DType.Int32)] Tensor lengths) => Stack(Run(x, lengths).Outputs, 1);

}

/// <summary>The cells of <see cref="GruRnnModel"/> called one step at a time, as TensorFlow's cell(x, state): the same variable names.</summary>
[Model]
public partial class GruSteppedModel
{
    [Output]
    static Tensor Stepped([Shape(2, 4, 3)] Tensor x)
    {
        var cell = MultiRnnCell(BasicRnnCell(4), GruCell(5));
        var xs = Unstack(x, 1);
        Tensor[] state = [Fill([2, 4], 0f), Fill([2, 5], 0f)];
        var outputs = new Tensor[4];
        using (VariableScope("rnn", Reuse.Auto))
            for (int t = 0; t < 4; t++)
            {
                var (output, next) = cell.Call(xs[t], state);
                outputs[t] = output;
                state = next;
            }
        return Stack(outputs, 1);
    }
}

/// <summary>Dropout wrappers around a BasicRNNCell(4): variational (masks per sequence) and not (masks per step).</summary>
[Model(Optimizer = Optimizer.GradientDescent)]
public partial class RnnDropoutModel
{
    [Loss]
    static Tensor Loss([Shape("batch", 4, 6)] Tensor x)
    {
        var (variational, _) = StaticRnn(DropoutWrapper(BasicRnnCell(4), inputKeep: 0.5f, stateKeep: 0.5f, variationalRecurrent: true), Unstack(x, 1), scope: "variational");
        var (perStep, _) = StaticRnn(DropoutWrapper(BasicRnnCell(4), inputKeep: 0.5f, stateKeep: 0.5f), Unstack(x, 1), scope: "per_step");
        return ReduceSum(Stack(variational, 1)) + ReduceSum(Stack(perStep, 1));
    }
}

/// <summary>Keras's GRU and LSTM layers: sequences in training, and a stateful batch-2 entry that carries its state across calls.</summary>
[Model(Optimizer = Optimizer.Adam)]
public partial class RecurrentLayerModel
{
    [Loss]
    static Tensor Loss([Shape("batch", 3, 2)] Tensor x, [Shape("batch", 4)] Tensor y) =>
        MeanSquaredError(y, Layers.Lstm(Layers.Gru(x, 5, returnSequences: true), 4));

    [Output]
    static Tensor Predict([Shape("batch", 3, 2)] Tensor x) => Layers.Lstm(Layers.Gru(x, 5, returnSequences: true), 4);

    [Output]
    static Tensor Streamed([Shape(2, 3, 2)] Tensor x) => Layers.Lstm(Layers.Gru(x, 5, returnSequences: true, stateful: true), 4, stateful: true);
}

