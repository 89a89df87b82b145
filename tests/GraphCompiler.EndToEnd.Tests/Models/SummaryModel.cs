using GraphCompiler;
using static GraphCompiler.Ops;

namespace GraphCompiler.EndToEnd.Tests.Models;

/// <summary>Summaries of every kind in model code, one of them under a name scope.</summary>
[Model]
public partial class SummaryModel
{
    [Loss]
    static Tensor Loss([Shape(4)] Tensor x, [Shape(4)] Tensor y)
    {
        var W = Variable("W", [1], Init.Constant(0.3f));
        var b = Variable("b", [1], Init.Constant(-0.3f));
        Tensor loss;
        using (NameScope("loss"))
        {
            loss = ReduceSum(Square(W * x + b - y));
            Summary.Scalar("total", loss);
        }
        Summary.Histogram("residuals", W * x + b - y);
        Summary.Image("pattern", Reshape(x * x, [2, 2, 1]) / 16f);
        Summary.Text("note", "linear regression");
        return loss;
    }
}
