using GraphCompiler;
using static GraphCompiler.Ops;

namespace GraphCompiler.EndToEnd.Tests.Models;

/// <summary>
/// Batches of matrices times one shared matrix, in the four transpose combinations, with one and two batch axes, and
/// a shared matrix on the left: each shared matrix's gradient sums the batch inside one product (a projection's
/// kernel gradient). Odd sizes, so no path lines up with a vector width.
/// </summary>
[Model(Optimizer = Optimizer.GradientDescent)]
public partial class SharedMatrixProductModel
{
    [Loss]
    static Tensor Loss([Shape("batch", 3, 5)] Tensor x, [Shape("batch", 5, 3)] Tensor xt, [Shape("batch", 2, 3, 5)] Tensor x4)
    {
        var w = Variable("w", [5, 7], Init.RandomNormal(0f, 0.5f));
        var wt = Variable("wt", [7, 5], Init.RandomNormal(0f, 0.5f));
        var left = Variable("left", [3, 3], Init.RandomNormal(0f, 0.5f));
        var y = MatMul(x, w) + MatMul(xt, w, transposeA: true) + MatMul(x, wt, transposeB: true) + MatMul(xt, wt, transposeA: true, transposeB: true);
        var z = MatMul(left, y) + MatMul(left, y, transposeA: true);
        return ReduceMean(Square(z)) + ReduceMean(Square(MatMul(x4, w)));
    }
}
