using GraphCompiler;
using static GraphCompiler.Ops;

namespace Experiment;

/// <summary>Linear regression with summaries: the loss, and a histogram of the residuals.</summary>
[Model]
public partial class ExperimentModel
{
    [Loss]
    static Tensor Loss([Shape("batch")] Tensor x, [Shape("batch")] Tensor y)
    {
        Tensor residuals;
        using (NameScope("linear"))
        {
            var W = Variable("W", [1], Init.RandomUniform(-1f, 1f));
            var b = Variable("b", [1], Init.Zeros());
            residuals = W * x + b - y;
        }
        var loss = ReduceMean(Square(residuals));
        Summary.Scalar("loss", loss);
        Summary.Histogram("residuals", residuals);
        return loss;
    }
}
