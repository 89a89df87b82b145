using GraphCompiler;
using static GraphCompiler.Layers;
using static GraphCompiler.Ops;

namespace TwoLayers;

/// <summary>
/// The lecture's two_hidden_layers with variable sharing: fully_connected opens a variable scope
/// with Reuse.Auto, so calling the network on x1 and on x2 builds one set of four variables.
/// </summary>
[Model]
public partial class SharedTwoLayers
{
    static Tensor FullyConnected(Tensor x, int outputDim, string scope)
    {
        using var _ = VariableScope(scope, Reuse.Auto);
        var w = GetVariable("weights", [x.Shape[1], outputDim], Init.RandomNormal());
        var b = GetVariable("biases", [outputDim], Init.Constant(0f));
        return MatMul(x, w) + b;
    }

    static Tensor TwoHiddenLayers(Tensor x)
    {
        var h1 = FullyConnected(x, 50, "h1");
        return FullyConnected(h1, 10, "h2");
    }

    [Output]
    static (Tensor, Tensor) Logits([Shape(200, 100)] Tensor x1, [Shape(200, 100)] Tensor x2)
    {
        using var scope = VariableScope("two_layers");
        var logits1 = TwoHiddenLayers(x1);
        var logits2 = TwoHiddenLayers(x2);
        return (logits1, logits2);
    }
}

/// <summary>
/// "Sharing variables: the problem": Variable always creates, so each call of the network makes
/// its own weights (h1_weights, h1_weights_1, ...): two sets of four variables.
/// </summary>
[Model]
public partial class UnsharedTwoLayers
{
    static Tensor TwoHiddenLayers(Tensor x)
    {
        var w1 = Variable("h1_weights", [100, 50], Init.RandomNormal());
        var b1 = Variable("h1_biases", [50], Init.Zeros());
        var h1 = MatMul(x, w1) + b1;
        var w2 = Variable("h2_weights", [50, 10], Init.RandomNormal());
        var b2 = Variable("h2_biases", [10], Init.Zeros());
        return MatMul(h1, w2) + b2;
    }

    [Output]
    static (Tensor, Tensor) Logits([Shape(200, 100)] Tensor x1, [Shape(200, 100)] Tensor x2) =>
        (TwoHiddenLayers(x1), TwoHiddenLayers(x2));
}

/// <summary>
/// The same network as Keras layers: layers described once are one set of weights wherever they are
/// applied, as a Keras model called on x1 and on x2 (two_layers/h1/kernel, ..., four variables).
/// </summary>
[Model]
public partial class LayerTwoLayers
{
    [Output]
    static (Tensor, Tensor) Logits([Shape(200, 100)] Tensor x1, [Shape(200, 100)] Tensor x2)
    {
        using var scope = VariableScope("two_layers");
        Layer[] twoHiddenLayers = [Dense(50, name: "h1"), Dense(10, name: "h2")];
        return (Sequential(x1, twoHiddenLayers), Sequential(x2, twoHiddenLayers));
    }
}
