using GraphCompiler;
using static GraphCompiler.Ops;

namespace GraphCompiler.Benchmarks.Models;

/// <summary>
/// The CS20 lecture's <c>two_hidden_layers</c>: x [200, 100] → fully connected 50 → fully connected 10,
/// weights and biases shared through <c>GetVariable</c> under the variable scope <c>two_layers</c>,
/// trained by gradient descent on the mean squared error against a [200, 10] target.
/// </summary>
/// <remarks>
/// The lecture initialises weights from N(0, 1); a standard deviation of 0.1 is used instead so that
/// thousands of benchmark steps stay finite (N(0, 1) weights make the squared error ~10⁶ and SGD
/// diverges to infinity, which would time arithmetic on non-finite numbers). The PyTorch twin in
/// <c>benchmarks/pytorch_reference.py</c> uses the same scale and the same loss.
/// </remarks>
[Model(Optimizer = Optimizer.GradientDescent)]
public partial class TwoLayersModel
{
    /// <summary>Batch size of the lecture's input.</summary>
    public const int Batch = 200;

    /// <summary>Input features.</summary>
    public const int Inputs = 100;

    /// <summary>Width of the first layer.</summary>
    public const int Hidden = 50;

    /// <summary>Width of the second (output) layer.</summary>
    public const int Outputs = 10;

    static Tensor FullyConnected(Tensor x, int outputDim, string scope)
    {
        using var _ = VariableScope(scope, Reuse.Auto);
        var w = GetVariable("weights", [x.Shape[1], outputDim], Init.RandomNormal(0f, 0.1f));
        var b = GetVariable("biases", [outputDim], Init.Constant(0f));
        return MatMul(x, w) + b;
    }

    static Tensor TwoHiddenLayers(Tensor x)
    {
        var h1 = FullyConnected(x, Hidden, "h1");
        return FullyConnected(h1, Outputs, "h2");
    }

    [Loss]
    static Tensor Loss([Shape(Batch, Inputs)] Tensor x, [Shape(Batch, Outputs)] Tensor y)
    {
        using var _ = VariableScope("two_layers");
        var logits = TwoHiddenLayers(x);
        return ReduceMean(Square(logits - y));
    }
}
