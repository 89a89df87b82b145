using GraphCompiler;
using static GraphCompiler.Ops;
using static GraphCompiler.Rnn;

namespace GraphCompiler.EndToEnd.Tests.Models;

/// <summary>
/// tf.nn.dynamic_rnn over a BasicLSTMCell(4) with sequence lengths, trained with Adam: the LSTM cell's fused
/// gate kernels take more buffers than ILGPU's kernel loaders take parameters (their views travel packed),
/// with Adam's slots updated after the reverse loop.
/// </summary>
[Model(Optimizer = Optimizer.Adam)]
public partial class AdamDynamicLstmModel
{
    [Output]
    static Tensor Outputs([Shape("batch", "time", 3)] Tensor x, [Shape("batch", DType = DType.Int32)] Tensor lengths) =>
        DynamicRnn(BasicLstmCell(4), x, sequenceLength: lengths).Outputs;

    [Loss]
    static Tensor Loss([Shape("batch", "time", 3)] Tensor x, [Shape("batch", DType = DType.Int32)] Tensor lengths, [Shape("batch", "time", 4)] Tensor y)
    {
        var (outputs, state) = DynamicRnn(BasicLstmCell(4), x, sequenceLength: lengths);
        return ReduceSum(Square(outputs - y)) + ReduceSum(state[0] * Tanh(state[1]));
    }
}
