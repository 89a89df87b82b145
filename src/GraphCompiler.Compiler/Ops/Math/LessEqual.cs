using GraphCompiler.Compiler.Kernels;

namespace GraphCompiler.Compiler.Ops;

/// <summary>y = (a ≤ b) elementwise, a bool tensor (broadcasting). No gradient.</summary>
public sealed class LessEqual : ComparisonOp
{
    public override string Name => "less_equal";
    protected override BinaryOp Operator => BinaryOp.LessEqual;
    protected override bool Test(double a, double b) => a <= b;
}
