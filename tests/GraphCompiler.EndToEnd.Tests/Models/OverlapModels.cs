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
    [Loss]
    static Tensor Loss([Shape("batch", 512)] Tensor x, [Shape("batch", DType = DType.Int32)] Tensor labels)
    {
        var h = Layers.Dense(x, 512, Activation.Relu, name: "h1");
        h = Layers.Dense(h, 512, Activation.Relu, name: "h2");
        h = Layers.Dense(h, 512, Activation.Relu, name: "h3");
        return ReduceMean(SparseSoftmaxCrossEntropyWithLogits(labels, Layers.Dense(h, 4, name: "output")));
    }
}
