using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Kernels;

/// <summary>A value a kernel reads, and how it is addressed; <see cref="Literal"/> is the value of a splat constant.</summary>
public sealed record KernelOperand(Node Value, IndexMap Map)
{
    public double? Literal => Ops.Constant.SplatValue(Value);

    /// <summary>The value whose storage a call passes: a column window's source, else the value itself.</summary>
    public Node Storage => Map == IndexMap.ColumnWindow ? Value.Inputs[0] : Value;

    /// <summary>Where a <see cref="IndexMap.ColumnWindow"/> operand lies in its source; null for other maps.</summary>
    public ColumnWindow? Window => Map == IndexMap.ColumnWindow ? ColumnWindow.Of(Value) : null;
}
