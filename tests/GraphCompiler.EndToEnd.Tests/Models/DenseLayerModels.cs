using GraphCompiler;
using static GraphCompiler.Ops;

namespace GraphCompiler.EndToEnd.Tests.Models;

/// <summary>
/// Dense layers the compiler turns into GEMM epilogues: matmul → bias → relu, matmul with a
/// transposed weight → [1, n] bias, and a plain matmul → bias output layer. The weights start
/// around zero so that some pre-activations are negative (the relu clips them).
/// </summary>
[Model(Optimizer = Optimizer.GradientDescent)]
public partial class DenseLayerModel
{
    static Tensor Network(Tensor x)
    {
        using var _ = VariableScope("dense", Reuse.Auto);
        var w1 = GetVariable("w1", [6, 5], Init.RandomNormal(0f, 0.7f));
        var b1 = GetVariable("b1", [5], Init.RandomUniform(-0.3f, 0.3f));
        var w2 = GetVariable("w2", [4, 5], Init.RandomNormal(0f, 0.7f));          // used transposed
        var b2 = GetVariable("b2", [1, 4], Init.RandomUniform(-0.3f, 0.3f));
        var w3 = GetVariable("w3", [4, 3], Init.RandomNormal(0f, 0.7f));
        var b3 = GetVariable("b3", [3], Init.RandomUniform(-0.3f, 0.3f));
        var h1 = Relu(MatMul(x, w1) + b1);                                          // [n, 5]
        var h2 = Relu(MatMul(h1, w2, transposeB: true) + b2);                       // [n, 4]
        return MatMul(h2, w3) + b3;                                                 // [n, 3]
    }

    /// <summary>The network's output.</summary>
    [Output]
    static Tensor Forward([Shape("n", 6)] Tensor x) => Network(x);

    [Loss]
    static Tensor Loss([Shape("n", 6)] Tensor x, [Shape("n", 3)] Tensor y) => ReduceMean(Square(Network(x) - y));
}
