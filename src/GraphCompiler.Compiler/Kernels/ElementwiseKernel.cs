using GraphCompiler.Compiler.Emit;
using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Kernels;

/// <summary>
/// A fused elementwise kernel: one loop over its space (flat, or per row when an operand is broadcast
/// or a row sum ends it) whose body computes every statement in registers and stores only the
/// outputs; an optional last-axis reduction folds one value per row from a body value.
/// </summary>
public sealed class ElementwiseKernel : KernelDescription
{
    internal ElementwiseKernel(Kernel source, IterationSpace space, IReadOnlyList<KernelOperand> operands, IReadOnlyList<Node> inPlaceOutputs,
        IReadOnlyList<KernelStatement> body, KernelReduction? rowReduction, IReadOnlyList<WindowStore>? windowStores = null)
        : base(source, space, operands, inPlaceOutputs)
    {
        WindowStores = windowStores ?? Array.Empty<WindowStore>();
        Body = body;
        RowReduction = rowReduction;
    }

    /// <summary>The scalar body in order (the reduction is not among them).</summary>
    public IReadOnlyList<KernelStatement> Body { get; }

    /// <summary>A last-axis reduction whose result is stored once per row; null when the kernel stores elements only.</summary>
    public KernelReduction? RowReduction { get; }

    /// <summary>
    /// Outputs that are last-axis concats of kernel values: each piece is stored straight into its
    /// columns of the output (the kernel iterates over the pieces' space, always per row).
    /// </summary>
    public IReadOnlyList<WindowStore> WindowStores { get; }

    /// <summary>The column store that <paramref name="output"/> is, or null for an output stored element by element.</summary>
    public WindowStore? StoreOf(Node output) => WindowStores.FirstOrDefault(s => s.Concat == output);

    /// <summary>The dtype of the kernel's values (the last member's).</summary>
    public DType DType => Source.Members[Source.Members.Count - 1].DType;

    /// <summary>True when every value of the kernel, the reduction's included, has the same dtype.</summary>
    public bool OneDType => Body.All(s => s.DType == DType) && (RowReduction is null || RowReduction.DType == DType);
}

/// <summary>
/// A concat along the last axis performed as stores: <see cref="Pieces"/>[i] goes to columns
/// <see cref="Offsets"/>[i]… of rows <see cref="Width"/> wide in <see cref="Concat"/>'s storage.
/// </summary>
public sealed record WindowStore(Node Concat, IReadOnlyList<Node> Pieces, IReadOnlyList<int> Offsets, int Width);
