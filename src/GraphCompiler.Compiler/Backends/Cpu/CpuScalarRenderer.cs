using GraphCompiler.Compiler.Emit;
using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Kernels;

namespace GraphCompiler.Compiler.Backends.Cpu;

/// <summary>
/// Spells scalar templates as C#: over scalars (<c>MathF.Exp(a)</c>) and over <c>Vector&lt;T&gt;</c>
/// registers (<c>Vector.Exp(a)</c>), and says which templates have a vector spelling.
/// </summary>
internal static class CpuScalarRenderer
{
    /// <summary>The runtime class whose stable special functions generated kernels call.</summary>
    public const string CpuOps = "GraphCompiler.Runtime.Execution.CpuOps";

    /// <summary>The template over scalar operand expressions <paramref name="args"/>.</summary>
    public static string Scalar(ScalarExpr e, IReadOnlyList<string> args) => e switch
    {
        ScalarArg a => args[a.Index],
        ScalarLiteral l => CSharpNames.Literal(l.Value, l.DType),
        ScalarUnary u => (u.Op == UnaryOp.Neg ? "(-" : "(!") + Scalar(u.X, args) + ")",
        ScalarBinary b => "(" + Bare(b, args) + ")",
        // The condition and a chained else-branch go unparenthesised: (x > 0f ? 1f : x < 0f ? -1f : x).
        ScalarSelect s => "(" + Choice(s, args) + ")",
        ScalarCall c => Call(c, args),
        ScalarConvert v => $"(({v.To.CSharpName()}){Scalar(v.X, args)})",
        _ => throw new InvalidOperationException($"no C# spelling for {e}"),
    };

    /// <summary>
    /// True when the template has a <c>Vector&lt;T&gt;</c> spelling for <paramref name="dtype"/>:
    /// arithmetic in every numeric dtype; selects on a comparison and the functions with a vector
    /// overload (here or in the runtime) in floats. Constants other than zero inside a template
    /// (reciprocal's 1, sign's ±1) keep the op scalar, as before templates: vectorising them is a
    /// change to measure on its own.
    /// </summary>
    public static bool Vectorizes(ScalarExpr e, DType dtype) => e switch
    {
        ScalarArg => true,
        ScalarLiteral l => l.Value == 0,
        ScalarUnary u => u.Op == UnaryOp.Neg && Vectorizes(u.X, dtype),
        ScalarBinary b => b.Op is BinaryOp.Add or BinaryOp.Sub or BinaryOp.Mul or BinaryOp.Div && Vectorizes(b.A, dtype) && Vectorizes(b.B, dtype),
        ScalarSelect s => dtype.IsFloat() && s.Condition is ScalarBinary { Op: BinaryOp.Greater } c
            && Vectorizes(c.A, dtype) && Vectorizes(c.B, dtype) && Vectorizes(s.IfTrue, dtype) && Vectorizes(s.IfFalse, dtype),
        ScalarCall c => dtype.IsFloat() && VectorFunction(c.Function) is not null && Vectorizes(c.X, dtype),
        _ => false,
    };

    /// <summary>The template over <c>Vector&lt;T&gt;</c> operand expressions; only where <see cref="Vectorizes"/> holds.</summary>
    public static string Vector(ScalarExpr e, IReadOnlyList<string> args) => e switch
    {
        ScalarArg a => args[a.Index],
        ScalarLiteral { Value: 0 } l => $"Vector<{l.DType.CSharpName()}>.Zero",
        ScalarUnary { Op: UnaryOp.Neg } u => "(-" + Vector(u.X, args) + ")",
        ScalarBinary { Op: BinaryOp.Greater } b => $"Vector.GreaterThan({Vector(b.A, args)}, {Vector(b.B, args)})",
        ScalarBinary b => "(" + Vector(b.A, args) + " " + b.Op.Symbol() + " " + Vector(b.B, args) + ")",
        ScalarSelect s => $"Vector.ConditionalSelect({Vector(s.Condition, args)}, {Vector(s.IfTrue, args)}, {Vector(s.IfFalse, args)})",
        ScalarCall c when VectorFunction(c.Function) is { } f => $"{f}({Vector(c.X, args)})",
        _ => throw new InvalidOperationException($"no Vector<T> spelling for {e}"),
    };

    private static string Bare(ScalarExpr e, IReadOnlyList<string> args) =>
        e is ScalarBinary b ? Scalar(b.A, args) + " " + b.Op.Symbol() + " " + Scalar(b.B, args) : Scalar(e, args);

    private static string Choice(ScalarSelect s, IReadOnlyList<string> args) =>
        Bare(s.Condition, args) + " ? " + Scalar(s.IfTrue, args) + " : " + (s.IfFalse is ScalarSelect next ? Choice(next, args) : Scalar(s.IfFalse, args));

    private static string Call(ScalarCall c, IReadOnlyList<string> args)
    {
        var operands = c.Y is null ? Scalar(c.X, args) : Scalar(c.X, args) + ", " + Scalar(c.Y, args);
        return c.Function switch
        {
            // The stable forms live in the runtime, the same formulas as the reference's.
            ScalarFunction.Sigmoid or ScalarFunction.Softplus or ScalarFunction.Log1p or ScalarFunction.Erf => $"{CpuOps}.{c.Function}({operands})",
            _ => (c.DType == DType.Float32 ? "MathF." : "Math.") + c.Function + "(" + operands + ")",
        };
    }

    /// <summary>The vector overload of a function, or null when the CPU back end has none.</summary>
    private static string? VectorFunction(ScalarFunction f) => f switch
    {
        ScalarFunction.Exp => "Vector.Exp",
        ScalarFunction.Log => "Vector.Log",
        ScalarFunction.Sigmoid or ScalarFunction.Softplus or ScalarFunction.Log1p => $"{CpuOps}.{f}",
        _ => null,
    };
}
