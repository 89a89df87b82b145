using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Kernels;

/// <summary>
/// One op of a kernel's scalar body: <see cref="Result"/> = <see cref="Template"/> applied to
/// <see cref="Args"/>, each an operand of the kernel or the result of an earlier statement.
/// Loads that only relabel a value (broadcast_like, a [rows] ↔ [rows, 1] reshape) are the template <c>arg0</c>.
/// </summary>
public sealed record KernelStatement(Node Result, ScalarExpr Template, IReadOnlyList<Node> Args)
{
    public DType DType => Result.DType;
}
