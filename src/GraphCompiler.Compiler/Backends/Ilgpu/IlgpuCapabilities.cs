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

    /// <summary>The largest thread group of the runtime's fused attention kernel (<c>DeviceLibrary.Attention</c>): its queries per group and keys per tile.</summary>
    public const int AttentionTile = 32;

    /// <summary>The shared memory every CUDA group gets without opting in to more: what the fused attention's tiles must fit.</summary>
    public const int SharedMemoryPerGroup = 48 * 1024;

    /// <summary>The shared memory, in bytes, of one fused attention group of <paramref name="tile"/> threads: queries and keys [tile, dk], values and their running sums [tile, dv], one tile of scores.</summary>
    public static long AttentionSharedBytes(int tile, int keyDepth, int valueDepth) => sizeof(float) * (long)tile * (2L * keyDepth + 2L * valueDepth + tile);

    /// <summary>
    /// Attention runs fused when its tiles fit a group's shared memory: static head depths whose query, key and
    /// value tiles, running sums and score tile fit <see cref="SharedMemoryPerGroup"/> (dk + dv ≤ 176 at tiles of
    /// 32), at most two biases and scores of rank ≤ 6 (the kernel's bias maps). The sequence itself streams through
    /// the key tiles, so any length fits. Otherwise today's kernels run: two GEMMs around the softmax's row kernel.
    /// </summary>
    public override bool FusesAttention(AttentionChain chain)
    {
        Dim dk = chain.Query.Shape[chain.Query.Shape.Rank - 1], dv = chain.Value.Shape[chain.Value.Shape.Rank - 1];
        return dk.IsStatic && dv.IsStatic && chain.Biases.Count <= 2 && chain.Scores.Shape.Rank <= 6 && chain.Value.DType == DType.Float32
            && AttentionSharedBytes(AttentionTile, dk.Size, dv.Size) <= SharedMemoryPerGroup;
    }
}
