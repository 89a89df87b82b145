using GraphCompiler;
using static GraphCompiler.Ops;

namespace GraphCompiler.EndToEnd.Tests.Models;

/// <summary>
/// Dropout in the train step (its Philox mask drawn on the device as on the host) over features joined
/// by a concat of the input and a tiled slice of it, for the device tests.
/// </summary>
[Model(Optimizer = Optimizer.GradientDescent)]
public partial class DropoutModel
{
    [Loss]
    static Tensor Loss([Shape("n", 4)] Tensor x, [Shape("n", 2)] Tensor y)
    {
        var w = Variable("w", [8, 2], Init.RandomNormal(0f, 0.5f));
        var features = Concat([x, Tile(Slice(x, [0, 1], [-1, 2]), [1, 2])], 1);   // [n, 8]
        var h = Dropout(Tanh(features), 0.5f);
        return ReduceMean(Square(MatMul(h, w) - y));
    }
}
