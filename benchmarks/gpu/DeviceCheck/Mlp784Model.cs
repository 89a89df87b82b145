using GraphCompiler;
using static GraphCompiler.Ops;

namespace GraphCompiler.Benchmarks.Gpu;

/// <summary>
/// The MLP of the CPU comparison (benchmarks/pytorch_reference.py): 784 → ReLU 512 → ReLU 512 → 10,
/// Glorot-uniform weights, zero biases, mean sparse softmax cross-entropy, SGD; the batch is symbolic.
/// </summary>
[Model(Optimizer = Optimizer.GradientDescent)]
public partial class Mlp784Model
{
    static Tensor Dense(Tensor x, int units, string scope, bool relu)
    {
        using var _ = VariableScope(scope);
        var w = GetVariable("weights", [x.Shape[1], units], Init.GlorotUniform());
        var b = GetVariable("biases", [units], Init.Zeros());
        var y = MatMul(x, w) + b;
        return relu ? Relu(y) : y;
    }

    [Loss]
    static Tensor Loss([Shape("batch", 784)] Tensor x, [Shape("batch", DType = DType.Int32)] Tensor labels)
    {
        var h1 = Dense(x, 512, "h1", relu: true);
        var h2 = Dense(h1, 512, "h2", relu: true);
        return ReduceMean(SparseSoftmaxCrossEntropyWithLogits(labels, Dense(h2, 10, "logits", relu: false)));
    }
}
