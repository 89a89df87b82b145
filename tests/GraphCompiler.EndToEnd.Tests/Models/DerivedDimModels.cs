using GraphCompiler;
using static GraphCompiler.Ops;

namespace GraphCompiler.EndToEnd.Tests.Models;

/// <summary>
/// Derived dimensions in variable shapes: a table with one spare row (<c>Vocab + 1</c>), a hidden layer twice
/// the width (<c>Dim * 2</c>, read back as <c>2 * Dim</c>) and a narrower projection (<c>Dim - 1</c>).
/// </summary>
[Model(Optimizer = Optimizer.GradientDescent)]
public partial class DerivedDimModel
{
    [Hyper] public int Vocab { get; }

    [Hyper] public int Dim { get; }

    [Loss]
    Tensor Loss([Shape("batch", DType = DType.Int32)] Tensor ids, [Shape("batch")] Tensor y)
    {
        var embed = Variable("embed", [Vocab + 1, Dim], Init.RandomUniform(-1f, 1f));
        var hidden = Variable("hidden", [Dim, Dim * 2], Init.RandomUniform(-1f, 1f));
        var narrow = Variable("narrow", [2 * Dim, Dim - 1], Init.RandomUniform(-1f / Dim, 1f / Dim));
        var h = MatMul(Tanh(MatMul(EmbeddingLookup(embed, ids), hidden)), narrow);
        return ReduceMean(Square(ReduceSum(h, [1]) - y));
    }
}
