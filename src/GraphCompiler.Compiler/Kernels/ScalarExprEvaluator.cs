using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Ops;

namespace GraphCompiler.Compiler.Kernels;

/// <summary>
/// Evaluates a scalar template in double precision (bools as 0 and 1), the meaning every renderer's
/// spelling must keep; the op table compares it with each op's reference formula.
/// </summary>
public static class ScalarExprEvaluator
{
    public static double Evaluate(ScalarExpr e, IReadOnlyList<double> args) => e switch
    {
        ScalarArg a => args[a.Index],
        ScalarLiteral l => l.Value,
        ScalarUnary { Op: UnaryOp.Neg } u => -Evaluate(u.X, args),
        ScalarUnary u => Evaluate(u.X, args) != 0 ? 0 : 1,
        ScalarBinary b => Binary(b.Op, Evaluate(b.A, args), Evaluate(b.B, args)),
        ScalarSelect s => Evaluate(s.Condition, args) != 0 ? Evaluate(s.IfTrue, args) : Evaluate(s.IfFalse, args),
        ScalarCall c => Call(c.Function, Evaluate(c.X, args), c.Y is null ? 0 : Evaluate(c.Y, args)),
        ScalarConvert v => Convert(v.To, Evaluate(v.X, args)),
        _ => throw new InvalidOperationException($"no evaluation for {e}"),
    };

    private static double Binary(BinaryOp op, double a, double b) => op switch
    {
        BinaryOp.Add => a + b,
        BinaryOp.Sub => a - b,
        BinaryOp.Mul => a * b,
        BinaryOp.Div => a / b,
        BinaryOp.Less => Bool(a < b),
        BinaryOp.LessEqual => Bool(a <= b),
        BinaryOp.Greater => Bool(a > b),
        BinaryOp.GreaterEqual => Bool(a >= b),
        BinaryOp.Equal => Bool(a == b),
        BinaryOp.NotEqual => Bool(a != b),
        BinaryOp.And => Bool(a != 0 && b != 0),
        BinaryOp.Or => Bool(a != 0 || b != 0),
        _ => Bool((a != 0) != (b != 0)),
    };

    private static double Call(ScalarFunction f, double x, double y) => f switch
    {
        ScalarFunction.Exp => Math.Exp(x),
        ScalarFunction.Log => Math.Log(x),
        ScalarFunction.Sqrt => Math.Sqrt(x),
        ScalarFunction.Tanh => Math.Tanh(x),
        ScalarFunction.Abs => Math.Abs(x),
        ScalarFunction.Min => Math.Min(x, y),
        ScalarFunction.Max => Math.Max(x, y),
        ScalarFunction.Pow => Math.Pow(x, y),
        ScalarFunction.Sigmoid => SpecialFunctions.Sigmoid(x),
        ScalarFunction.Softplus => SpecialFunctions.Softplus(x),
        ScalarFunction.Log1p => SpecialFunctions.Log1p(x),
        _ => SpecialFunctions.Erf(x),
    };

    private static double Convert(DType to, double x) => to switch
    {
        DType.Bool => Bool(x != 0),
        DType.Int32 or DType.Int64 => Math.Truncate(x),
        _ => x,
    };

    private static double Bool(bool b) => b ? 1 : 0;
}
