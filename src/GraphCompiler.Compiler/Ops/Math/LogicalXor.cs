using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Kernels;

namespace GraphCompiler.Compiler.Ops;

/// <summary>y = a ⊕ b on bool tensors (broadcasting). No gradient.</summary>
public sealed class LogicalXor : LogicalOp
{
    public override string Name => "logical_xor";
    public override int Arity => 2;
    public override double Compute(double[] x, Attrs attrs) => (x[0] != 0) != (x[1] != 0) ? 1 : 0;
    public override ScalarExpr Template(Attrs attrs, DType t) => ScalarExpr.Binary(BinaryOp.Xor, ScalarExpr.Arg(0), ScalarExpr.Arg(1));
}
