using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Kernels;
using GraphCompiler.Compiler.Ops;

namespace GraphCompiler.Compiler.Backends.Cpu;

/// <summary>
/// The CPU back end's fusions: its float32 2-D GEMM (<c>CpuOps.MatMulBiasActivation</c>) adds a
/// per-column bias and applies relu while C is in registers, and <c>CpuOps.MatMulColumnSums</c>
/// sums B's columns while it packs or reads B; its convolution (<c>CpuOps.Conv2D</c>) is an implicit GEMM
/// with the same bias and relu epilogue.
/// </summary>
public sealed class CpuCapabilities : BackendCapabilities
{
    public static CpuCapabilities Instance { get; } = new();

    private CpuCapabilities()
    {
    }

    /// <remarks>A float32 convolution is an implicit GEMM with the same epilogue (the bias per output channel).</remarks>
    public override bool GemmTakesEpilogue(Node product) => IsFloatMatrixProduct(product) || product.Op is Conv2D && product.DType == DType.Float32;

    public override bool IsBiasEpilogue(Node node) => node.Op is Add;

    public override bool IsActivationEpilogue(Node node) => node.Op is Relu;

    public override bool GemmTakesColumnSums(Node product) => IsFloatMatrixProduct(product);

    public override bool ConvolutionTakesPooling(Node pool) => pool.Op is MaxPool or AvgPool && pool.DType == DType.Float32;

    public override bool PoolingGradientTakesReluMask(Node mask) => mask.Op is ReluGrad;

    private static bool IsFloatMatrixProduct(Node n) =>
        n.Op is MatMul && n.DType == DType.Float32 && n.Shape.Rank == 2 && n.Inputs[0].Shape.Rank == 2 && n.Inputs[1].Shape.Rank == 2;
}
