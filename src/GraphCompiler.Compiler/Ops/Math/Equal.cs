using GraphCompiler.Compiler.Kernels;

namespace GraphCompiler.Compiler.Ops;

/// <summary>y = (a = b) elementwise, a bool tensor (broadcasting). No gradient.</summary>
public sealed class Equal : ComparisonOp
{
    public override string Name => "equal";
    protected override BinaryOp Operator => BinaryOp.Equal;
    protected override bool Test(double a, double b) => a == b;
}
