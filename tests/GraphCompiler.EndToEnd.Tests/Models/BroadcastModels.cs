using GraphCompiler;
using static GraphCompiler.Ops;

namespace GraphCompiler.EndToEnd.Tests.Models;

/// <summary>
/// Every way a fused kernel indexes a broadcast input over x [n, 3, 5]: a per-(n, ·) row
/// [n, 1, 5] (contiguous along the row from a per-row base), a per-(·, 3) value [3, 1] (one value
/// per row), a leading-axis broadcast [3, 5], a bias [5] and a column [n, 3, 1]; and last-axis
/// sums fused into their prologue kernels. The gradients sum each broadcast back.
/// </summary>
[Model(Optimizer = Optimizer.GradientDescent)]
public partial class BroadcastModel
{
    static Tensor Mixed(Tensor x)
    {
        using var _ = VariableScope("broadcast", Reuse.Auto);
        var perRow = GetVariable("per_row", [3, 1], Init.RandomUniform(-1f, 1f));
        var plane = GetVariable("plane", [3, 5], Init.RandomUniform(-1f, 1f));
        var bias = GetVariable("bias", [5], Init.RandomUniform(-1f, 1f));
        var columnSums = ReduceSum(x, [1], keepDims: true);                        // [n, 1, 5]
        var rowMax = ReduceMax(x, [2], keepDims: true);                            // [n, 3, 1]
        return Tanh(x * columnSums + perRow) * plane + bias - rowMax * 0.5f;       // [n, 3, 5]
    }

    /// <summary>The broadcast mix and its per-row sums of exp (a fused reduction tail).</summary>
    [Output]
    static Tensor Forward([Shape("n", 3, 5)] Tensor x) => ReduceSum(Exp(Mixed(x) * 0.5f), [2]);

    /// <summary>Row sums of a fused prologue over a symbolic width (which may be empty).</summary>
    [Output]
    static Tensor RowSums([Shape("n", "m")] Tensor x) => ReduceSum(Exp(x) * 2f + 1f, [1]);

    /// <summary>
    /// A stored prologue and its row sums over a symbolic width: rows shorter than a vector take the
    /// flat SIMD path and sum the stored values afterwards, wider rows the row loop.
    /// </summary>
    [Output]
    static (Tensor, Tensor) SoftplusRowSums([Shape("n", "m")] Tensor x)
    {
        var terms = Softplus(x * 3f) - 0.25f;
        return (terms, ReduceSum(terms, [1]));
    }

    /// <summary>A flat elementwise kernel; over many elements the runtime splits it across cores.</summary>
    [Output]
    static Tensor Flat([Shape("n")] Tensor x) => Sigmoid(x) * 3f - Square(x) * 0.5f;

    [Loss]
    static Tensor Loss([Shape("n", 3, 5)] Tensor x) => ReduceMean(ReduceSum(Square(Mixed(x)), [2]));
}
