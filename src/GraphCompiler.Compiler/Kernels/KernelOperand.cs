using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Kernels;

/// <summary>A value a kernel reads, and how it is addressed; <see cref="Literal"/> is the value of a splat constant.</summary>
public sealed record KernelOperand(Node Value, IndexMap Map)
{
    public double? Literal => Ops.Constant.SplatValue(Value);
}
