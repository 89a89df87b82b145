using GraphCompiler.Compiler.Emit;
using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Kernels;

namespace GraphCompiler.Compiler.Backends.Ilgpu;

/// <summary>
/// Spells scalar templates as C# that ILGPU compiles inside a kernel: arithmetic as in C#, the math
/// functions through ILGPU.Algorithms' <c>XMath</c> (which ILGPU maps to device intrinsics) and the
/// stable special functions through the very methods the CPU path calls (the runtime's <c>CpuOps</c>,
/// which forwards the double forms to <c>SpecialFunctions</c>): ILGPU compiles their BCL math (it maps
/// <c>Math</c>/<c>MathF</c> to device intrinsics), so there is one source for each formula.
/// </summary>
internal static class IlgpuScalarRenderer
{
    private const string XMath = "ILGPU.Algorithms.XMath";
    private const string SpecialFunctions = "GraphCompiler.Runtime.Execution.CpuOps";

    /// <summary>The template over scalar operand expressions <paramref name="args"/>.</summary>
    public static string Scalar(ScalarExpr e, IReadOnlyList<string> args) => e switch
    {
        ScalarArg a => args[a.Index],
        ScalarLiteral l => CSharpNames.Literal(l.Value, l.DType),
        ScalarUnary u => (u.Op == UnaryOp.Neg ? "(-" : "(!") + Scalar(u.X, args) + ")",
        ScalarBinary b => "(" + Scalar(b.A, args) + " " + b.Op.Symbol() + " " + Scalar(b.B, args) + ")",
        ScalarSelect s => "(" + Scalar(s.Condition, args) + " ? " + Scalar(s.IfTrue, args) + " : " + Scalar(s.IfFalse, args) + ")",
        ScalarCall c => Call(c, args),
        ScalarConvert v => $"(({v.To.CSharpName()}){Scalar(v.X, args)})",
        _ => throw new NotSupportedException($"no ILGPU spelling for {e}"),
    };

    private static string Call(ScalarCall c, IReadOnlyList<string> args)
    {
        var operands = c.Y is null ? Scalar(c.X, args) : Scalar(c.X, args) + ", " + Scalar(c.Y, args);
        if (c.Function is ScalarFunction.Sigmoid or ScalarFunction.Softplus or ScalarFunction.Log1p or ScalarFunction.Erf)
            return $"{SpecialFunctions}.{c.Function}({operands})";
        // Integer abs/min/max are plain comparisons; XMath covers the floating-point functions.
        if (!c.DType.IsFloat() && c.Function is ScalarFunction.Abs or ScalarFunction.Min or ScalarFunction.Max)
            return c.Function switch
            {
                ScalarFunction.Abs => $"System.Math.Abs({operands})",
                ScalarFunction.Min => $"System.Math.Min({operands})",
                _ => $"System.Math.Max({operands})",
            };
        if (!c.DType.IsFloat()) throw new NotSupportedException($"no ILGPU spelling for {c.Function} on {c.DType}");
        return $"{XMath}.{c.Function}({operands})";
    }
}
