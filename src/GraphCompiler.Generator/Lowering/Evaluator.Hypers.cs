using GraphCompiler.Compiler.Emit;
using GraphCompiler.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace GraphCompiler.Generator.Lowering;

/// <summary>
/// Hyperparameters in model code: an int <c>[Hyper]</c> property reads as a symbolic dimension bound at
/// construction, a float one (and arithmetic on either that yields a floating-point number) as a C#
/// expression the generated constructor evaluates. Integer <c>+ - *</c> of dimension hyperparameters and
/// numbers is a derived dimension (<c>Dim * 2</c>, <c>Vocab + 1</c>): a symbol of its own that the generated
/// class computes from the others. Anything else that needs the value at build time is GC0115.
/// </summary>
internal sealed partial class Evaluator
{
    /// <summary>The value of a read of one of the model's [Hyper] properties, or null for any other property.</summary>
    private Value? HyperRead(IPropertyReferenceOperation property)
    {
        if (property.Instance is not IInstanceReferenceOperation) return null;
        var hyper = _ctx.Hypers.FirstOrDefault(h => h.Name == property.Property.Name);
        if (hyper is null || !Api.HasAttribute(property.Property, Api.HyperAttribute)) return null;
        return hyper.IsDimension ? new SymbolicDimValue(hyper.Name) : new HyperScalarValue(hyper.Name);
    }

    private bool IsHyper(Value v) => v is HyperScalarValue || (v is SymbolicDimValue s && _ctx.IsHyperDim(s.Symbol));

    /// <summary>C# text of a number or hyperparameter operand, in double precision; null for anything else.</summary>
    private string? HyperText(Value v) => v switch
    {
        IntValue i => CSharpNames.Literal(i.Value, Compiler.IR.DType.Float64),
        FloatValue f => CSharpNames.Literal(f.Value, Compiler.IR.DType.Float64),
        HyperScalarValue h => h.Expression,
        SymbolicDimValue s when _ctx.IsHyperDim(s.Symbol) => "(double)" + s.Symbol,
        _ => null,
    };

    /// <summary>
    /// Floating-point arithmetic with a hyperparameter operand (<c>0.5f / Dim</c>), or a derived dimension
    /// (<see cref="DerivedDim"/>); null when neither operand is one. Other integer arithmetic is GC0115.
    /// </summary>
    private Value? HyperArithmetic(BinaryOperatorKind kind, Value left, Value right, ITypeSymbol? type, IOperation at)
    {
        if (!IsHyper(left) && !IsHyper(right)) return null;
        if (DerivedDim(kind, left, right, type) is { } derived) return derived;
        var name = HyperName(IsHyper(left) ? left : right);
        var op = kind switch
        {
            BinaryOperatorKind.Add => "+",
            BinaryOperatorKind.Subtract => "-",
            BinaryOperatorKind.Multiply => "*",
            BinaryOperatorKind.Divide => "/",
            _ => null,
        };
        if (op is null || !IsFloating(type) || HyperText(left) is not { } a || HyperText(right) is not { } b)
            throw Error(Descriptors.HyperAsConstant, at.Syntax, name, IsFloating(type) ? $"with the operator {kind} on {left.Describe()} and {right.Describe()}" : $"in the integer operation {kind} (a derived dimension is made by +, - and * of dimensions and numbers) or a comparison");
        return new HyperScalarValue($"({a} {op} {b})");
    }

    /// <summary>
    /// <c>Dim * 2</c>, <c>Vocab + 1</c>, <c>Heads * Dim</c>: integer <c>+ - *</c> whose operands are dimension
    /// hyperparameters (derived ones included) and numbers, as the derived dimension named after it
    /// (<c>Dim_times_2</c>); commutative operations put the number second so <c>2 * Dim</c> is the same symbol.
    /// Null for anything else.
    /// </summary>
    private SymbolicDimValue? DerivedDim(BinaryOperatorKind kind, Value left, Value right, ITypeSymbol? type)
    {
        if (type?.SpecialType != SpecialType.System_Int32) return null;
        string? Operand(Value v) => v switch
        {
            IntValue { Value: >= int.MinValue and <= int.MaxValue } i => i.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
            SymbolicDimValue s when _ctx.IsHyperDim(s.Symbol) => s.Symbol,
            _ => null,
        };
        var (word, op) = kind switch
        {
            BinaryOperatorKind.Add => ("plus", "+"),
            BinaryOperatorKind.Subtract => ("minus", "-"),
            BinaryOperatorKind.Multiply => ("times", "*"),
            _ => ((string?)null, (string?)null),
        };
        if (word is null || Operand(left) is not { } a || Operand(right) is not { } b) return null;
        if (left is IntValue && kind != BinaryOperatorKind.Subtract) (a, b) = (b, a);
        var name = a + "_" + word + "_" + b.Replace("-", "neg");
        if (char.IsDigit(name[0]) || name[0] == '-') name = "n" + name.Replace("-", "neg");
        _ctx.DeriveDim(name, $"({a} {op} {b})");
        return new SymbolicDimValue(name);
    }

    private Value HyperNegate(Value operand, SyntaxNode at) =>
        HyperText(operand) is { } text ? new HyperScalarValue($"(-{text})") : throw Error(Descriptors.HyperAsConstant, at, HyperName(operand), "in arithmetic");

    /// <summary>Math.Sqrt / MathF.Sqrt of a hyperparameter expression (<c>1 / MathF.Sqrt(Dim)</c>).</summary>
    private Value? HyperMath(IInvocationOperation call, Value[] args)
    {
        if (!args.Any(IsHyper)) return null;
        var m = call.TargetMethod;
        if (m.Name == "Sqrt" && args.Length == 1 && HyperText(args[0]) is { } text) return new HyperScalarValue($"System.Math.Sqrt({text})");
        throw Error(Descriptors.HyperAsConstant, call.Syntax, HyperName(args.First(IsHyper)), $"in {m.ContainingType.Name}.{m.Name} (only Sqrt takes a hyperparameter)");
    }

    /// <summary>The error for a hyperparameter where a build-time number is needed; null when <paramref name="v"/> is none.</summary>
    private LoweringException? HyperMisuse(Value v, SyntaxNode at, string usage) =>
        IsHyper(v) ? Error(Descriptors.HyperAsConstant, at, HyperName(v), usage) : null;

    private static string HyperName(Value v) => v switch
    {
        SymbolicDimValue s => s.Symbol,
        HyperScalarValue h => h.Expression,
        _ => v.Describe(),
    };

    /// <summary>An initializer argument: a number, or a hyperparameter expression (returned as text, with 0 as the number).</summary>
    private (double Value, string? Expression) InitArgument(Value value, SyntaxNode at) =>
        IsHyper(value) ? (0, HyperText(value)) : (FloatOf(value, at, "in an initializer"), null);
}
