using GraphCompiler.Compiler.Kernels;

namespace GraphCompiler.Compiler.Ops;

/// <summary>y = (a &gt; b) elementwise, a bool tensor (broadcasting). No gradient.</summary>
public sealed class Greater : ComparisonOp
{
    public override string Name => "greater";
    protected override BinaryOp Operator => BinaryOp.Greater;
    protected override bool Test(double a, double b) => a > b;
}
