using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Kernels;

/// <summary>
/// What a back end can fuse beyond elementwise chains, asked by fusion instead of testing op identities
/// itself. Fusion keeps the structural checks (a value read only by its epilogue, no cycles); the back
/// end says which products its GEMM runs with extras, and which ops it can apply inside one.
/// </summary>
public abstract class BackendCapabilities
{
    /// <summary>True when <paramref name="product"/> is a matrix product the back end's GEMM can finish with an epilogue.</summary>
    public abstract bool GemmTakesEpilogue(Node product);

    /// <summary>True when <paramref name="node"/> is an add the GEMM can apply to C as a per-column bias.</summary>
    public abstract bool IsBiasEpilogue(Node node);

    /// <summary>True when <paramref name="node"/> is an activation the GEMM can apply after the bias.</summary>
    public abstract bool IsActivationEpilogue(Node node);

    /// <summary>True when <paramref name="product"/> is a matrix product whose GEMM can also sum the columns of its B operand.</summary>
    public abstract bool GemmTakesColumnSums(Node product);

    /// <summary>True when a convolution's epilogue can also apply <paramref name="pool"/> (a max or average pooling of its output) as it stores.</summary>
    public virtual bool ConvolutionTakesPooling(Node pool) => false;

    /// <summary>True when a max pooling's gradient can apply <paramref name="mask"/> (a relu_grad of that gradient) as it scatters.</summary>
    public virtual bool PoolingGradientTakesReluMask(Node mask) => false;

    /// <summary>True when the back end runs <paramref name="chain"/> (scores, scale, biases, softmax, weighted values) as one fused attention kernel.</summary>
    public virtual bool FusesAttention(AttentionChain chain) => false;
}
