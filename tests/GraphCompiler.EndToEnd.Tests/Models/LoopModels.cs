using GraphCompiler;
using static GraphCompiler.Ops;

namespace GraphCompiler.EndToEnd.Tests.Models;

/// <summary>
/// A recurrence written as a <c>for</c> over the symbolic time dim (one loop region, generated as a loop over
/// the run-time length). Two carried states, one of which becomes the other's old value unchanged
/// (<c>c = h</c>): the body writes one state while it still reads the other, which double-buffering must keep apart.
/// </summary>
[Model(Optimizer = Optimizer.GradientDescent)]
public partial class LoopRecurrenceModel
{
    static (Tensor Outputs, Tensor C, Tensor H) Run(Tensor x, Tensor h0)
    {
        using var _ = VariableScope("rnn", Reuse.Auto);
        var w = GetVariable("w", [3, 4], Init.RandomNormal());
        var u = GetVariable("u", [4, 4], Init.RandomNormal());
        var b = GetVariable("b", [4], Init.RandomNormal());
        var steps = Unstack(x, 1);
        var outputs = new Tensor[x.Shape[1]];
        var h = h0;
        var c = Tanh(h0);
        for (int t = 0; t < x.Shape[1]; t++)
        {
            var next = Tanh(MatMul(steps[t], w) + MatMul(h, u) + b) + c * 0.5f;
            c = h;
            h = next;
            outputs[t] = next * Sigmoid(c);
        }
        return (Stack(outputs, 1), c, h);
    }

    [Output]
    static Tensor Outputs([Shape("batch", "time", 3)] Tensor x, [Shape("batch", 4)] Tensor h0) => Run(x, h0).Outputs;

    [Output]
    static Tensor Final([Shape("batch", "time", 3)] Tensor x, [Shape("batch", 4)] Tensor h0)
    {
        var (_, c, h) = Run(x, h0);
        return c * 2f + h;
    }

    [Loss]
    static Tensor Loss([Shape("batch", "time", 3)] Tensor x, [Shape("batch", 4)] Tensor h0, [Shape("batch", "time", 4)] Tensor y)
    {
        var (outputs, c, h) = Run(x, h0);
        return ReduceSum(Square(outputs - y)) + ReduceSum(c * h);
    }
}
