using GraphCompiler.Compiler.Emit;
using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Kernels;

/// <summary>
/// An opaque op run by the back end's own routine for it (a transpose, a gather, a sampler, the
/// gathered-row products): the op's node with its attributes is the description; the back end's
/// renderer knows the routine.
/// </summary>
public sealed class LibraryCall : KernelDescription
{
    internal LibraryCall(Kernel source, IterationSpace space, IReadOnlyList<KernelOperand> operands)
        : base(source, space, operands, Array.Empty<Node>())
    {
    }

    public Node Node => Source.Members[0];
}

/// <summary>
/// A matrix product C = op(A)·op(B) (batched over leading axes when the operands have them), with
/// what the back end fuses into it: a per-column bias and a relu applied before C is stored (a dense
/// layer), or the column sums of B taken while B is read (a dense layer's bias gradient).
/// </summary>
public sealed class GemmCall : KernelDescription
{
    internal GemmCall(Kernel source, IReadOnlyList<KernelOperand> operands, Node product, Node? bias, bool relu, Node? columnSums)
        : base(source, new IterationSpace(IterationKind.Library, product.Shape), operands, Array.Empty<Node>())
    {
        Product = product;
        Bias = bias;
        Relu = relu;
        ColumnSums = columnSums;
    }

    /// <summary>The matmul node (its inputs are A and B, its attributes the transposes).</summary>
    public Node Product { get; }

    public Node A => Product.Inputs[0];

    public Node B => Product.Inputs[1];

    public bool TransposeA => Product.Attrs.GetBool("transpose_a", false);

    public bool TransposeB => Product.Attrs.GetBool("transpose_b", false);

    /// <summary>The per-column bias added to C in the epilogue; null for none.</summary>
    public Node? Bias { get; }

    /// <summary>True when the epilogue applies relu after the bias.</summary>
    public bool Relu { get; }

    /// <summary>The column sums of B computed alongside (a second output); null for none.</summary>
    public Node? ColumnSums { get; }

    /// <summary>The value stored as C: the product, or the last op of its epilogue.</summary>
    public Node Result => ColumnSums is null ? Source.Members[Source.Members.Count - 1] : Product;
}
