using GraphCompiler.Compiler.Kernels;

namespace GraphCompiler.Compiler.Ops;

/// <summary>y = (a &lt; b) elementwise, a bool tensor (broadcasting). No gradient.</summary>
public sealed class Less : ComparisonOp
{
    public override string Name => "less";
    protected override BinaryOp Operator => BinaryOp.Less;
    protected override bool Test(double a, double b) => a < b;
}
