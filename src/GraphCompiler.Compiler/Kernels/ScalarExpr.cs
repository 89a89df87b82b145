using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Kernels;

/// <summary>
/// An op's scalar math as data: an expression over the op's arguments that every renderer spells
/// in its own language (C# scalars, <c>Vector&lt;T&gt;</c>, ILGPU kernels) and that a double-precision
/// evaluator checks against the op's reference. Records, so equal templates compare equal.
/// </summary>
public abstract record ScalarExpr
{
    /// <summary>Argument <paramref name="index"/> of the op (its input at that position).</summary>
    public static ScalarExpr Arg(int index) => new ScalarArg(index);

    /// <summary>A constant of a dtype (<c>0</c> of the op's dtype in <c>relu</c>).</summary>
    public static ScalarExpr Literal(double value, DType dtype) => new ScalarLiteral(value, dtype);

    public static ScalarExpr Binary(BinaryOp op, ScalarExpr a, ScalarExpr b) => new ScalarBinary(op, a, b);

    /// <summary><c>condition ? ifTrue : ifFalse</c>; the condition is a bool expression.</summary>
    public static ScalarExpr Select(ScalarExpr condition, ScalarExpr ifTrue, ScalarExpr ifFalse) => new ScalarSelect(condition, ifTrue, ifFalse);

    /// <summary>A math function computed in <paramref name="dtype"/> (<c>exp</c>, <c>min</c>, <c>sigmoid</c>, …).</summary>
    public static ScalarExpr Call(ScalarFunction function, DType dtype, ScalarExpr x, ScalarExpr? y = null) => new ScalarCall(function, dtype, x, y);

    /// <summary>A numeric conversion to <paramref name="to"/> (truncating toward zero for integers).</summary>
    public static ScalarExpr Convert(DType to, ScalarExpr x) => new ScalarConvert(to, x);

    public static ScalarExpr operator +(ScalarExpr a, ScalarExpr b) => Binary(BinaryOp.Add, a, b);

    public static ScalarExpr operator -(ScalarExpr a, ScalarExpr b) => Binary(BinaryOp.Sub, a, b);

    public static ScalarExpr operator *(ScalarExpr a, ScalarExpr b) => Binary(BinaryOp.Mul, a, b);

    public static ScalarExpr operator /(ScalarExpr a, ScalarExpr b) => Binary(BinaryOp.Div, a, b);

    public static ScalarExpr operator -(ScalarExpr a) => new ScalarUnary(UnaryOp.Neg, a);

    public static ScalarExpr operator !(ScalarExpr a) => new ScalarUnary(UnaryOp.Not, a);
}

public sealed record ScalarArg(int Index) : ScalarExpr;

public sealed record ScalarLiteral(double Value, DType DType) : ScalarExpr;

public sealed record ScalarUnary(UnaryOp Op, ScalarExpr X) : ScalarExpr;

public sealed record ScalarBinary(BinaryOp Op, ScalarExpr A, ScalarExpr B) : ScalarExpr;

public sealed record ScalarSelect(ScalarExpr Condition, ScalarExpr IfTrue, ScalarExpr IfFalse) : ScalarExpr;

/// <summary>A function of one argument, or of two (<see cref="Y"/>: <c>min</c>, <c>max</c>, <c>pow</c>).</summary>
public sealed record ScalarCall(ScalarFunction Function, DType DType, ScalarExpr X, ScalarExpr? Y) : ScalarExpr;

public sealed record ScalarConvert(DType To, ScalarExpr X) : ScalarExpr;

public enum UnaryOp { Neg, Not }

/// <summary>Arithmetic, comparisons (giving bool) and the logical operators on bools.</summary>
public enum BinaryOp { Add, Sub, Mul, Div, Less, LessEqual, Greater, GreaterEqual, Equal, NotEqual, And, Or, Xor }

public static class BinaryOps
{
    /// <summary>The operator's infix symbol as C-family languages spell it (<c>+</c>, <c>&lt;=</c>, <c>&amp;</c> on bools, …).</summary>
    public static string Symbol(this BinaryOp op) => op switch
    {
        BinaryOp.Add => "+",
        BinaryOp.Sub => "-",
        BinaryOp.Mul => "*",
        BinaryOp.Div => "/",
        BinaryOp.Less => "<",
        BinaryOp.LessEqual => "<=",
        BinaryOp.Greater => ">",
        BinaryOp.GreaterEqual => ">=",
        BinaryOp.Equal => "==",
        BinaryOp.NotEqual => "!=",
        BinaryOp.And => "&",
        BinaryOp.Or => "|",
        _ => "^",
    };
}

/// <summary>
/// The math functions a template may call. The last four are computed in the stable forms of
/// <c>SpecialFunctions</c> (shared with the reference), so every back end gets the same values.
/// </summary>
public enum ScalarFunction { Exp, Log, Sqrt, Tanh, Abs, Min, Max, Pow, Sigmoid, Softplus, Log1p, Erf }
