using GraphCompiler;
using static GraphCompiler.Ops;
using static GraphCompiler.Rnn;

namespace GraphCompiler.EndToEnd.Tests.Models;

/// <summary>
/// tf.nn.dynamic_rnn over a BasicLSTMCell(5) with sequence lengths, over a symbolic time dim (a loop region),
/// beside tf.nn.static_rnn over the same cell and variables at 5 steps, so that the two can be compared.
/// </summary>
[Model(Optimizer = Optimizer.GradientDescent)]
public partial class DynamicLstmModel
{
    [Output]
    static Tensor Dynamic([Shape("batch", "time", 3)] Tensor x, [Shape("batch", DType = DType.Int32)] Tensor lengths) =>
        DynamicRnn(BasicLstmCell(5), x, sequenceLength: lengths).Outputs;

    [Output]
    static Tensor DynamicFinal([Shape("batch", "time", 3)] Tensor x, [Shape("batch", DType = DType.Int32)] Tensor lengths) =>
        Stack(DynamicRnn(BasicLstmCell(5), x, sequenceLength: lengths).State, 0);

    [Output]
    static Tensor Static([Shape("batch", 5, 3)] Tensor x, [Shape("batch", DType = DType.Int32)] Tensor lengths) =>
        Stack(StaticRnn(BasicLstmCell(5), Unstack(x, 1), sequenceLength: lengths).Outputs, 1);

    [Output]
    static Tensor StaticFinal([Shape("batch", 5, 3)] Tensor x, [Shape("batch", DType = DType.Int32)] Tensor lengths) =>
        Stack(StaticRnn(BasicLstmCell(5), Unstack(x, 1), sequenceLength: lengths).State, 0);

    [Loss]
    static Tensor Loss([Shape("batch", "time", 3)] Tensor x, [Shape("batch", DType = DType.Int32)] Tensor lengths, [Shape("batch", "time", 5)] Tensor y)
    {
        var (outputs, state) = DynamicRnn(BasicLstmCell(5), x, sequenceLength: lengths);
        return ReduceSum(Square(outputs - y)) + ReduceSum(state[0] * Tanh(state[1]));
    }
}

/// <summary>
/// DynamicRnn over a MultiRNNCell(BasicRNNCell(4), GRUCell(5)) from a given initial state: a cell whose steps
/// cannot hoist their input projection (the layers' steps interleave), so the loop body runs the whole cell.
/// </summary>
[Model(Optimizer = Optimizer.GradientDescent)]
public partial class DynamicMultiCellModel
{
    [Output]
    static Tensor Dynamic([Shape("batch", "time", 3)] Tensor x, [Shape("batch", 4)] Tensor h0, [Shape("batch", 5)] Tensor h1) =>
        DynamicRnn(MultiRnnCell(BasicRnnCell(4), GruCell(5)), x, initialState: [h0, h1]).Outputs;

    [Output]
    static Tensor Static([Shape("batch", 4, 3)] Tensor x, [Shape("batch", 4)] Tensor h0, [Shape("batch", 5)] Tensor h1) =>
        Stack(StaticRnn(MultiRnnCell(BasicRnnCell(4), GruCell(5)), Unstack(x, 1), initialState: [h0, h1]).Outputs, 1);
}
