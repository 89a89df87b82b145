using GraphCompiler;
using static GraphCompiler.Ops;

namespace GraphCompiler.EndToEnd.Tests.Models;

/// <summary>
/// One dense layer with odd widths (7 → 5): its train step computes dW = xᵀ·dY and db = Σ_batch dY in one
/// GEMM that sums dY's columns while it reads them.
/// </summary>
[Model(Optimizer = Optimizer.GradientDescent)]
public partial class OneLayerBiasGradientModel
{
    [Loss]
    static Tensor Loss([Shape("n", 7)] Tensor x, [Shape("n", 5)] Tensor y)
    {
        using var _ = VariableScope("one", Reuse.Auto);
        var w = GetVariable("w", [7, 5], Init.RandomNormal(0f, 0.5f));
        var b = GetVariable("b", [5], Init.RandomUniform(-0.3f, 0.3f));
        return ReduceMean(Square(MatMul(x, w) + b - y));
    }
}

/// <summary>
/// Two dense layers (70 → relu 67 → 5): both backward GEMMs carry their layer's bias gradient; 67 columns
/// take the unpacked path's four-vector strips plus a one-vector strip, and large batches split it across threads.
/// </summary>
[Model(Optimizer = Optimizer.GradientDescent)]
public partial class TwoLayerBiasGradientModel
{
    [Loss]
    static Tensor Loss([Shape("n", 70)] Tensor x, [Shape("n", 5)] Tensor y)
    {
        using var _ = VariableScope("two", Reuse.Auto);
        var w1 = GetVariable("w1", [70, 67], Init.RandomNormal(0f, 0.2f));
        var b1 = GetVariable("b1", [67], Init.RandomUniform(-0.3f, 0.3f));
        var w2 = GetVariable("w2", [67, 5], Init.RandomNormal(0f, 0.2f));
        var b2 = GetVariable("b2", [5], Init.RandomUniform(-0.3f, 0.3f));
        var hidden = Relu(MatMul(x, w1) + b1);
        return ReduceMean(Square(MatMul(hidden, w2) + b2 - y));
    }
}
