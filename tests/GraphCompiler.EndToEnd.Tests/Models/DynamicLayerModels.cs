using GraphCompiler;
using static GraphCompiler.Layers;
using static GraphCompiler.Ops;

namespace GraphCompiler.EndToEnd.Tests.Models;

/// <summary>
/// Keras's Gru and Lstm layers over a symbolic time dim (one loop region, as DynamicRnn's) beside the same
/// layers over a static one (unrolled), with the same variables, so that the two can be compared.
/// </summary>
[Model(Optimizer = Optimizer.GradientDescent)]
public partial class DynamicLayerModel
{
    [Output]
    static Tensor Dynamic([Shape("batch", "time", 3)] Tensor x) => Concat([Gru(x, 5, returnSequences: true), Lstm(x, 4, returnSequences: true)], 2);

    [Output]
    static Tensor Static([Shape("batch", 4, 3)] Tensor x) => Concat([Gru(x, 5, returnSequences: true), Lstm(x, 4, returnSequences: true)], 2);

    /// <summary>Without <c>returnSequences</c>: the last step's output, the final h (the initial zeros at length 0).</summary>
    [Output]
    static Tensor Last([Shape("batch", "time", 3)] Tensor x) => Concat([Gru(x, 5), Lstm(x, 4)], 1);

    [Loss]
    static Tensor Loss([Shape("batch", "time", 3)] Tensor x, [Shape("batch", "time", 9)] Tensor y) =>
        ReduceSum(Square(Concat([Gru(x, 5, returnSequences: true), Lstm(x, 4, returnSequences: true)], 2) - y));
}

/// <summary>DynamicRnn over a variational DropoutWrapper: its masks are drawn once per sequence, outside the loop.</summary>
[Model(Optimizer = Optimizer.GradientDescent)]
public partial class DynamicVariationalDropoutModel
{
    [Loss]
    static Tensor Loss([Shape("batch", "time", 6)] Tensor x, [Shape("batch", "time", 4)] Tensor y) =>
        ReduceSum(Square(Rnn.DynamicRnn(Rnn.DropoutWrapper(Rnn.BasicLstmCell(4), inputKeep: 0.5f, outputKeep: 0.7f, stateKeep: 0.6f, variationalRecurrent: true, seed: 5), x).Outputs - y));
}
