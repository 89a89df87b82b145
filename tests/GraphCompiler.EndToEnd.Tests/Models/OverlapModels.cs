using GraphCompiler;
using static GraphCompiler.Ops;

namespace GraphCompiler.EndToEnd.Tests.Models;

/// <summary>
/// Three hidden layers of 512 and a softmax over 4 classes with Adam, the train step split at the gradient:
/// three all-reduce buckets of about 1 MiB each ({output, h3}, {h2}, {h1}), completed one after the other by
/// the backward pass.
/// </summary>
[Model(Optimizer = Optimizer.Adam, GradientSet = true)]
public partial class ThreeBucketMlp
{
    static Tensor Dense(Tensor x, int units, string scope)
    {
        using var _ = VariableScope(scope);
        var w = GetVariable("weights", [x.Shape[1], units], Init.GlorotUniform());
        var b = GetVariable("biases", [units], Init.Constant(0.01f));
        return MatMul(x, w) + b;
    }

    [Loss]
    static Tensor Loss([Shape("batch", 512)] Tensor x, [Shape("batch", DType = DType.Int32)] Tensor labels)
    {
        var h = Relu(Dense(x, 512, "h1"));
        h = Relu(Dense(h, 512, "h2"));
        h = Relu(Dense(h, 512, "h3"));
        return ReduceMean(SparseSoftmaxCrossEntropyWithLogits(labels, Dense(h, 4, "output")));
    }
}
