namespace GraphCompiler.Compiler.Ops;

/// <summary>y = (a &lt; b) elementwise, a bool tensor (broadcasting). No gradient.</summary>
public sealed class Less : ComparisonOp
{
    public override string Name => "less";
    protected override string Operator => "<";
    protected override bool Test(double a, double b) => a < b;
}
