using GraphCompiler;
using static GraphCompiler.Ops;

namespace GraphCompiler.Benchmarks.Models;

/// <summary>
/// TensorFlow's getting-started linear regression (the main sample's model): four points, a scalar
/// weight and bias, the summed squared error, gradient descent.
/// </summary>
[Model(Optimizer = Optimizer.GradientDescent)]
public partial class LinearRegressionModel
{
    [Loss]
    static Tensor Loss([Shape("n")] Tensor x, [Shape("n")] Tensor y)
    {
        var W = Variable("W", [1], Init.Constant(0.3f));
        var b = Variable("b", [1], Init.Constant(-0.3f));
        return ReduceSum(Square(W * x + b - y));
    }
}
