using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Kernels;

namespace GraphCompiler.Compiler.Backends.Ilgpu;

/// <summary>
/// The ILGPU back end's fusions. Its GEMM is a library routine (cuBLAS on CUDA, the tiled ILGPU kernel
/// elsewhere) that takes no epilogue, so a dense layer's bias and activation fuse into the elementwise
/// kernel that follows the product instead, and bias gradients are a reduction of their own.
/// </summary>
public sealed class IlgpuCapabilities : BackendCapabilities
{
    public static IlgpuCapabilities Instance { get; } = new();

    private IlgpuCapabilities()
    {
    }

    public override bool GemmTakesEpilogue(Node product) => false;

    public override bool IsBiasEpilogue(Node node) => false;

    public override bool IsActivationEpilogue(Node node) => false;

    public override bool GemmTakesColumnSums(Node product) => false;
}
