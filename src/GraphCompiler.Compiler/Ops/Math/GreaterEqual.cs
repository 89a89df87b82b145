using GraphCompiler.Compiler.Kernels;

namespace GraphCompiler.Compiler.Ops;

/// <summary>y = (a ≥ b) elementwise, a bool tensor (broadcasting). No gradient.</summary>
public sealed class GreaterEqual : ComparisonOp
{
    public override string Name => "greater_equal";
    protected override BinaryOp Operator => BinaryOp.GreaterEqual;
    protected override bool Test(double a, double b) => a >= b;
}
