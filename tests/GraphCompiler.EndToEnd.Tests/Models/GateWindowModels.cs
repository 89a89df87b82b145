using GraphCompiler;
using static GraphCompiler.Ops;

namespace GraphCompiler.EndToEnd.Tests.Models;

/// <summary>
/// An LSTM-like cell over odd widths, for the column windows of fused kernels: four gates of 7 columns
/// and a tail of 5 split from one [n, 33] dense product (the gate kernel reads them in place; their
/// gradients tile the product, so they become one concat, the gates' stored column by column), and a
/// window of 7 columns from column 1 of a [n, 9] product, whose gradient leaves a gap and stays a placement.
/// </summary>
[Model(Optimizer = Optimizer.Adam)]
public partial class GateWindowModel
{
    static Tensor Cell(Tensor x)
    {
        using var _ = VariableScope("cell", Reuse.Auto);
        var kernel = GetVariable("kernel", [6, 33], Init.RandomUniform(-0.6f, 0.6f));
        var bias = GetVariable("bias", [33], Init.RandomUniform(-0.3f, 0.3f));
        var other = GetVariable("other", [6, 9], Init.RandomUniform(-0.6f, 0.6f));
        var parts = Split(MatMul(x, kernel) + bias, [7, 7, 7, 7, 5], 1);
        var gap = Slice(MatMul(x, other), [0, 1], [-1, 7]);                          // columns 1..7 of 9
        var c = Sigmoid(parts[2] + 1f) * gap + Sigmoid(parts[0]) * Tanh(parts[1]);   // [n, 7]
        var h = Tanh(c) * Sigmoid(parts[3]);
        return ReduceSum(h, [1]) + ReduceSum(Softplus(parts[4]), [1]) * 0.25f;       // [n]
    }

    [Output]
    static Tensor Forward([Shape("n", 6)] Tensor x) => Cell(x);

    [Loss]
    static Tensor Loss([Shape("n", 6)] Tensor x, [Shape("n")] Tensor y) => ReduceMean(Square(Cell(x) - y));
}
