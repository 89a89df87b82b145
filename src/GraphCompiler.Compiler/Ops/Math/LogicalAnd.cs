using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Ops;

/// <summary>y = a ∧ b on bool tensors (broadcasting). No gradient.</summary>
public sealed class LogicalAnd : LogicalOp
{
    public override string Name => "logical_and";
    public override int Arity => 2;
    public override double Compute(double[] x, Attrs attrs) => x[0] != 0 && x[1] != 0 ? 1 : 0;
    public override string CSharp(IReadOnlyList<string> a, Attrs attrs, DType t) => $"({a[0]} & {a[1]})";
}
