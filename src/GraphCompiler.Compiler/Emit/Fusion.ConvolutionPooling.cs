using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Kernels;
using GraphCompiler.Compiler.Ops;

namespace GraphCompiler.Compiler.Emit;

public static partial class Fusion
{
    /// <summary>
    /// The window-op additions to the GEMM-epilogue kernels: a pooling joins the convolution layer it reads
    /// (<see cref="PoolInConvolutionStores"/>), and a max pooling's gradient takes the relu mask that follows it
    /// (<see cref="MaskedPoolingGradients"/>), each as the back end allows.
    /// </summary>
    private static void FuseConvolutionEpilogues(Graph g, List<List<Node>> layers, Dictionary<Node, List<Node>> consumers, HashSet<Node> outputs, BackendCapabilities can)
    {
        PoolInConvolutionStores(layers, consumers, can);
        layers.AddRange(MaskedPoolingGradients(g, consumers, outputs, can));
    }

    /// <summary>
    /// relu_grad(max_pool_grad(y, dy), y), the backward pass of relu → max pooling, as one scatter: each dy value
    /// goes to its window's first maximum only where that maximum is positive, so the pooling's gradient is
    /// never stored unmasked and never read back. Only when the mask reads the pooling's own input (the relu
    /// output y) and is the gradient's only reader.
    /// </summary>
    private static IEnumerable<List<Node>> MaskedPoolingGradients(Graph g, Dictionary<Node, List<Node>> consumers, HashSet<Node> outputs, BackendCapabilities can)
    {
        foreach (var grad in g.Nodes)
        {
            if (grad.Op is not MaxPoolGrad || outputs.Contains(grad) || consumers[grad].Count != 1) continue;
            var mask = consumers[grad][0];
            if (mask.Inputs.Count == 2 && mask.Inputs[0] == grad && mask.Inputs[1] == grad.Inputs[0] && mask.DType == grad.DType && can.PoolingGradientTakesReluMask(mask))
                yield return new List<Node> { grad, mask };
        }
    }

    /// <summary>
    /// A pooling that reads a convolution layer's stored value (conv2d → bias add → relu) joins that layer's
    /// kernel when the back end can pool in the convolution's store: the convolution's output is pooled while
    /// it is still in cache, and it is written out only when something else reads it too (the train step's
    /// relu and pooling gradients do; an inference entry never stores it). The pooling must be the value's
    /// reader, not the other way round, and only one pooling joins a layer.
    /// </summary>
    private static void PoolInConvolutionStores(List<List<Node>> layers, Dictionary<Node, List<Node>> consumers, BackendCapabilities can)
    {
        foreach (var layer in layers)
        {
            if (layer[0].Op is not Conv2D) continue;
            var stored = layer[layer.Count - 1];
            var pool = consumers[stored].FirstOrDefault(c => c.Op is MaxPool or AvgPool && c.Inputs[0] == stored && can.ConvolutionTakesPooling(c));
            if (pool is not null) layer.Add(pool);
        }
    }
}
