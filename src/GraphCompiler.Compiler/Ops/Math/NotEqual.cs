using GraphCompiler.Compiler.Kernels;

namespace GraphCompiler.Compiler.Ops;

/// <summary>y = (a ≠ b) elementwise, a bool tensor (broadcasting). No gradient.</summary>
public sealed class NotEqual : ComparisonOp
{
    public override string Name => "not_equal";
    protected override BinaryOp Operator => BinaryOp.NotEqual;
    protected override bool Test(double a, double b) => a != b;
}
