using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Kernels;

namespace GraphCompiler.Compiler.Ops;

/// <summary>y = ¬a on a bool tensor. No gradient.</summary>
public sealed class LogicalNot : LogicalOp
{
    public override string Name => "logical_not";
    public override int Arity => 1;
    public override double Compute(double[] x, Attrs attrs) => x[0] != 0 ? 0 : 1;
    public override ScalarExpr Template(Attrs attrs, DType t) => !ScalarExpr.Arg(0);
}
