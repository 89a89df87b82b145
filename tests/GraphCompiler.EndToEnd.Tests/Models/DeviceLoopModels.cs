using GraphCompiler;
using static GraphCompiler.Ops;
using static GraphCompiler.Rnn;

namespace GraphCompiler.EndToEnd.Tests.Models;

/// <summary>
/// tf.nn.dynamic_rnn over a GRU with sequence lengths, trained with Adam: the loop models' device path with
/// optimizer slots (the forward loop saving activations, the reverse loop, Adam's update after it) and the
/// step mask of sequences shorter than the time dim.
/// </summary>
[Model(Optimizer = Optimizer.Adam)]
public partial class AdamDynamicGruModel
{
    [Output]
    static Tensor Outputs([Shape("batch", "time", 3)] Tensor x, [Shape("batch", DType = DType.Int32)] Tensor lengths) =>
        DynamicRnn(GruCell(4), x, sequenceLength: lengths).Outputs;

    [Output]
    static Tensor Final([Shape("batch", "time", 3)] Tensor x, [Shape("batch", DType = DType.Int32)] Tensor lengths) =>
        DynamicRnn(GruCell(4), x, sequenceLength: lengths).State[0];

    [Loss]
    static Tensor Loss([Shape("batch", "time", 3)] Tensor x, [Shape("batch", DType = DType.Int32)] Tensor lengths, [Shape("batch", "time", 4)] Tensor y)
    {
        var (outputs, state) = DynamicRnn(GruCell(4), x, sequenceLength: lengths);
        return ReduceSum(Square(outputs - y)) + ReduceSum(Square(state[0]));
    }
}

/// <summary>
/// tf.nn.dynamic_rnn over MultiRNNCell(BasicRNNCell(3), GRUCell(4)) from zeros, then a dense layer on the last
/// output step, trained with Adam: a whole two-layer cell in the loop body on the device.
/// </summary>
[Model(Optimizer = Optimizer.Adam)]
public partial class AdamMultiCellModel
{
    static Tensor Run(Tensor x)
    {
        var (outputs, state) = DynamicRnn(MultiRnnCell(BasicRnnCell(3), GruCell(4)), x);
        var w = Variable("dense_w", [4, 2], Init.RandomNormal());
        return MatMul(state[1] + ReduceSum(outputs, [1]) * 0.25f, w);
    }

    [Output]
    static Tensor Predict([Shape("batch", "time", 2)] Tensor x) => Run(x);

    [Loss]
    static Tensor Loss([Shape("batch", "time", 2)] Tensor x, [Shape("batch", 2)] Tensor y) => ReduceSum(Square(Run(x) - y));
}
