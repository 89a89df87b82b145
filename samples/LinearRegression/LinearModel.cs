using GraphCompiler;
using static GraphCompiler.Ops;

namespace LinearRegression;

/// <summary>TensorFlow's getting-started linear regression, compiled at build time.</summary>
[Model(Optimizer = Optimizer.GradientDescent)]
public partial class LinearModel
{
    [Loss]
    static Tensor Loss([Shape("n")] Tensor x, [Shape("n")] Tensor y)
    {
        var W = Variable("W", [1], Init.Constant(0.3f));
        var b = Variable("b", [1], Init.Constant(-0.3f));
        var linearModel = W * x + b;
        return ReduceSum(Square(linearModel - y));
    }
}
