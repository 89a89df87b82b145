using System.Globalization;
using GraphCompiler.Compiler.IR;
using GraphCompiler.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace GraphCompiler.Generator.Lowering;

/// <summary>Expressions: constants, locals, operators, conversions, arrays, tuples, member reads.</summary>
internal sealed partial class Evaluator
{
    private Value Eval(IOperation op)
    {
        _ctx.CancellationToken.ThrowIfCancellationRequested();
        if (op.ConstantValue.HasValue) return FromConstant(op.ConstantValue.Value, op.Type);
        switch (op)
        {
            case ILocalReferenceOperation local:
                return _frame.TryGet(local.Local, out var lv) ? lv : NullValue.Instance;
            case IParameterReferenceOperation parameter:
                return _frame.TryGet(parameter.Parameter, out var pv) ? pv : NullValue.Instance;
            case ISimpleAssignmentOperation assignment:
            {
                var value = Eval(assignment.Value);
                Assign(assignment.Target, value);
                return value;
            }
            case ICompoundAssignmentOperation compound:
            {
                var value = Binary(compound.OperatorKind, compound.OperatorMethod, Eval(compound.Target), Eval(compound.Value), compound.Type, compound);
                Assign(compound.Target, value);
                return value;
            }
            case IIncrementOrDecrementOperation increment:
            {
                var old = Eval(increment.Target);
                var updated = Binary(increment.Kind == OperationKind.Increment ? BinaryOperatorKind.Add : BinaryOperatorKind.Subtract,
                    null, old, new IntValue(1), increment.Type, increment);
                Assign(increment.Target, updated);
                return increment.IsPostfix ? old : updated;
            }
            case IBinaryOperation binary:
                return EvalBinary(binary);
            case IUnaryOperation unary:
                return Unary(unary);
            case IConversionOperation conversion:
                return Convert(conversion);
            case IInvocationOperation invocation:
                return Invoke(invocation);
            case IPropertyReferenceOperation property:
                return Property(property);
            case IFieldReferenceOperation field:
                return Field(field);
            case IArrayElementReferenceOperation element:
            {
                if (ReadTimeArray(element) is { } step) return step;
                var (array, index) = Element(element);
                return array.Items[index];
            }
            case IArrayCreationOperation creation:
                return CreateArray(creation);
            case ICollectionExpressionOperation collection:
                return Collection(collection);
            case ITupleOperation tuple:
                return new TupleValue(tuple.Elements.Select(Eval).ToArray());
            case IConditionalOperation conditional:
                return Condition(conditional.Condition) ? Eval(conditional.WhenTrue) : Eval(conditional.WhenFalse!);
            case ICoalesceOperation coalesce:
            {
                var value = Eval(coalesce.Value);
                return value is NullValue ? Eval(coalesce.WhenNull) : value;
            }
            case IInterpolatedStringOperation interpolated:
                return Interpolate(interpolated);
            case IDefaultValueOperation:
                return Default(op.Type);
            case IDeconstructionAssignmentOperation deconstruction:
            {
                var value = Eval(deconstruction.Value);
                AssignPattern(deconstruction.Target, value, declare: false);
                return value;
            }
            case IAnonymousFunctionOperation:
            case IDelegateCreationOperation:
                throw Error(Descriptors.Lambda, op.Syntax, "Lambdas, anonymous methods and delegates");
            case IInstanceReferenceOperation:
                throw Error(Descriptors.InstanceState, op.Syntax, op.Syntax.ToString());
            case IObjectCreationOperation creation:
                throw Error(Descriptors.UnsupportedExpression, op.Syntax, $"Creating an object of type '{creation.Type?.ToDisplayString()}'");
            default:
                throw Error(Descriptors.UnsupportedExpression, op.Syntax, $"'{op.Syntax}' ({op.Kind})");
        }
    }

    private static Value FromConstant(object? value, ITypeSymbol? type) => value switch
    {
        null => NullValue.Instance,
        bool b => BoolValue.Of(b),
        string s => new StringValue(s),
        char c => new StringValue(c.ToString()),
        float f => new FloatValue(Shortest(f)),
        double d => new FloatValue(d),
        decimal m => new FloatValue((double)m),
        _ => new IntValue(System.Convert.ToInt64(value, CultureInfo.InvariantCulture)),
    };

    /// <summary>The shortest double that reads back as <paramref name="f"/> (0.3f is 0.3, not 0.30000001192092896).</summary>
    private static double Shortest(float f) => double.Parse(f.ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    private static bool IsIntegral(ITypeSymbol? type) =>
        type?.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64 or SpecialType.System_Int16 or SpecialType.System_Byte
            or SpecialType.System_SByte or SpecialType.System_UInt16 or SpecialType.System_UInt32 or SpecialType.System_UInt64
        || type?.TypeKind == TypeKind.Enum;

    private static bool IsFloating(ITypeSymbol? type) =>
        type?.SpecialType is SpecialType.System_Single or SpecialType.System_Double or SpecialType.System_Decimal;

    private static Value Number(double value, ITypeSymbol? type) =>
        type?.SpecialType == SpecialType.System_Single ? new FloatValue(Shortest((float)value)) : new FloatValue(value);

    private Value Default(ITypeSymbol? type) =>
        IsIntegral(type) ? new IntValue(0)
        : IsFloating(type) ? new FloatValue(0)
        : type?.SpecialType == SpecialType.System_Boolean ? BoolValue.False
        : NullValue.Instance;

    private void Assign(IOperation target, Value value)
    {
        switch (target)
        {
            case ILocalReferenceOperation local:
                _frame.Set(local.Local, value);
                break;
            case IParameterReferenceOperation parameter:
                _frame.Set(parameter.Parameter, value);
                break;
            case IArrayElementReferenceOperation element:
            {
                if (WriteTimeArray(element, value)) break;
                var (array, index) = Element(element);
                array.Items[index] = value;
                break;
            }
            case IDiscardOperation:
                break;
            case IFieldReferenceOperation or IPropertyReferenceOperation:
                throw Error(Descriptors.InstanceState, target.Syntax, target.Syntax.ToString());
            default:
                throw Error(Descriptors.UnsupportedExpression, target.Syntax, $"Assigning to '{target.Syntax}'");
        }
    }

    /// <summary>Deconstruction and foreach targets: locals, declarations, discards and nested tuples.</summary>
    private void AssignPattern(IOperation target, Value value, bool declare)
    {
        switch (target)
        {
            case IDeclarationExpressionOperation declaration:
                AssignPattern(declaration.Expression, value, declare: true);
                break;
            case ITupleOperation tuple when value is TupleValue values && values.Items.Length == tuple.Elements.Length:
                for (int i = 0; i < tuple.Elements.Length; i++) AssignPattern(tuple.Elements[i], values.Items[i], declare);
                break;
            case IVariableDeclaratorOperation declarator:
                _frame.Declare(declarator.Symbol, value);
                break;
            case ILocalReferenceOperation local when declare:
                _frame.Declare(local.Local, value);
                break;
            default:
                Assign(target, value);
                break;
        }
    }

    private (ArrayValue Array, int Index) Element(IArrayElementReferenceOperation element)
    {
        if (element.Indices.Length != 1) throw Error(Descriptors.UnsupportedExpression, element.Syntax, "A multi-dimensional array");
        if (Eval(element.ArrayReference) is not ArrayValue array)
            throw Error(Descriptors.NotATensor, element.ArrayReference.Syntax, "the array is null or unassigned");
        long index = Int(element.Indices[0], "as an array index");
        if (index < 0 || index >= array.Items.Length)
            throw Error(Descriptors.EvaluationError, element.Syntax, $"index {index} is outside the array of length {array.Items.Length}");
        return (array, (int)index);
    }

    private Value CreateArray(IArrayCreationOperation creation)
    {
        if (creation.Initializer is not null) return new ArrayValue(creation.Initializer.ElementValues.Select(Eval).ToArray());
        if (creation.DimensionSizes.Length != 1) throw Error(Descriptors.UnsupportedExpression, creation.Syntax, "A multi-dimensional array");
        if (TimeArrayCreation(creation) is { } steps) return steps;
        long length = Int(creation.DimensionSizes[0], "as an array length");
        if (length < 0 || length > MaxIterations) throw Error(Descriptors.EvaluationError, creation.DimensionSizes[0].Syntax, $"array length {length} is out of range");
        var element = (creation.Type as IArrayTypeSymbol)?.ElementType;
        return new ArrayValue(Enumerable.Repeat(0, (int)length).Select(_ => Default(element)).ToArray());
    }

    private Value Collection(ICollectionExpressionOperation collection)
    {
        if (collection.Type is not IArrayTypeSymbol)
            throw Error(Descriptors.UnsupportedExpression, collection.Syntax, $"A collection expression of type '{collection.Type?.ToDisplayString()}' (only arrays)");
        var items = new List<Value>();
        foreach (var element in collection.Elements)
        {
            if (element is ISpreadOperation spread)
            {
                if (Eval(spread.Operand) is not ArrayValue inner) throw Error(Descriptors.NotATensor, spread.Operand.Syntax, "the spread array is null");
                items.AddRange(inner.Items);
            }
            else items.Add(Eval(element));
        }
        return new ArrayValue(items.ToArray());
    }

    private Value Interpolate(IInterpolatedStringOperation interpolated)
    {
        var sb = new System.Text.StringBuilder();
        foreach (var part in interpolated.Parts)
        {
            if (part is IInterpolatedStringTextOperation text) sb.Append(Text(Eval(text.Text)));
            else if (part is IInterpolationOperation hole)
            {
                var value = Eval(hole.Expression);
                var format = hole.FormatString is null ? null : Text(Eval(hole.FormatString));
                sb.Append(format is not null && value is IntValue i ? i.Value.ToString(format, CultureInfo.InvariantCulture)
                    : format is not null && value is FloatValue f ? f.Value.ToString(format, CultureInfo.InvariantCulture)
                    : Text(value));
            }
        }
        return new StringValue(sb.ToString());
    }

    /// <summary>The text of a compile-time value, as C# would print it with the invariant culture.</summary>
    private static string Text(Value v) => v switch
    {
        StringValue s => s.Value,
        IntValue i => i.Value.ToString(CultureInfo.InvariantCulture),
        FloatValue f => f.Value.ToString(CultureInfo.InvariantCulture),
        BoolValue b => b.Value ? "True" : "False",
        NullValue => "",
        _ => v.Describe(),
    };

    private Value Field(IFieldReferenceOperation field)
    {
        if (field.Field.ContainingType is { IsTupleType: true } tupleType && Eval(field.Instance!) is TupleValue tuple)
        {
            var target = field.Field.CorrespondingTupleField ?? field.Field;
            int index = tupleType.TupleElements.IndexOf((IFieldSymbol)target.OriginalDefinition, 0, SymbolEqualityComparer.Default);
            if (index < 0) index = tupleType.TupleElements.Select(e => e.CorrespondingTupleField?.Name ?? e.Name).ToList().IndexOf(target.Name);
            if (index >= 0 && index < tuple.Items.Length) return tuple.Items[index];
        }
        throw Error(Descriptors.InstanceState, field.Syntax, field.Syntax.ToString());
    }

    private Value Property(IPropertyReferenceOperation property)
    {
        if (HyperRead(property) is { } hyper) return hyper;
        var p = property.Property;
        if (ApiSymbols.Is(p.ContainingType, Api.Tensor))
        {
            var node = TensorOf(property.Instance!);
            return p.Name switch
            {
                "Shape" => new ShapeValue(node.Shape),
                "DType" => new IntValue((int)node.DType),
                _ => throw Error(Descriptors.UnknownMethod, property.Syntax, p.ToDisplayString()),
            };
        }
        if (ApiSymbols.Is(p.ContainingType, Api.TensorShape))
        {
            if (Eval(property.Instance!) is not ShapeValue shape) throw Error(Descriptors.NotATensor, property.Instance!.Syntax, "no shape");
            if (p.IsIndexer)
            {
                long axis = Int(property.Arguments[0].Value, "as an axis");
                long normalized = axis < 0 ? axis + shape.Shape.Rank : axis;
                if (normalized < 0 || normalized >= shape.Shape.Rank)
                    throw Error(Descriptors.ShapeError, property.Syntax, $"axis {axis} is out of range for a tensor of shape {shape.Shape} (rank {shape.Shape.Rank})");
                var dim = shape.Shape[(int)normalized];
                return dim.IsStatic ? new IntValue(dim.Size) : new SymbolicDimValue(dim.Symbol!);
            }
            if (p.Name == "Rank") return new IntValue(shape.Shape.Rank);
        }
        if (p.Name == "Length" && property.Instance is not null && property.Instance.Type is IArrayTypeSymbol)
        {
            if (Eval(property.Instance) is not ArrayValue array) throw Error(Descriptors.NotATensor, property.Instance.Syntax, "the array is null");
            return new IntValue(array.Items.Length);
        }
        if (property.Instance is IInstanceReferenceOperation || (property.Instance is null && !p.IsReadOnly))
            throw Error(Descriptors.InstanceState, property.Syntax, property.Syntax.ToString());
        throw Error(Descriptors.UnknownMethod, property.Syntax, p.ToDisplayString());
    }

    private Value Convert(IConversionOperation conversion)
    {
        if (conversion.OperatorMethod is { } method && ApiSymbols.Is(method.ContainingType, Api.Tensor))
        {
            double value = Float(conversion.Operand, "as a constant");
            return new TensorValue(At(conversion.Syntax, () => _g.Constant(value, Compiler.IR.DType.Float32)));
        }
        var operand = Eval(conversion.Operand);
        if (conversion.OperatorMethod is not null)
            throw Error(Descriptors.UnknownMethod, conversion.Syntax, conversion.OperatorMethod.ToDisplayString());
        var type = conversion.Type;
        if (IsIntegral(type) && operand is FloatValue f) return new IntValue((long)Math.Truncate(f.Value));
        if (IsFloating(type) && operand is IntValue i) return Number(i.Value, type);
        if (IsFloating(type) && operand is FloatValue g) return Number(g.Value, type);
        return operand;
    }

    private Value Unary(IUnaryOperation unary)
    {
        if (unary.OperatorMethod is { } method)
        {
            if (!ApiSymbols.Is(method.ContainingType, Api.Tensor) || unary.OperatorKind != UnaryOperatorKind.Minus)
                throw Error(Descriptors.UnknownMethod, unary.Syntax, method.ToDisplayString());
            var x = TensorOf(unary.Operand);
            return new TensorValue(At(unary.Syntax, () => _g.Neg(x)));
        }
        var operand = Eval(unary.Operand);
        return (unary.OperatorKind, operand) switch
        {
            (UnaryOperatorKind.Not, BoolValue b) => BoolValue.Of(!b.Value),
            (UnaryOperatorKind.Minus, IntValue i) => new IntValue(-i.Value),
            (UnaryOperatorKind.Minus, FloatValue f) => new FloatValue(-f.Value),
            (UnaryOperatorKind.Plus, IntValue or FloatValue) => operand,
            (UnaryOperatorKind.BitwiseNegation, IntValue i) => new IntValue(~i.Value),
            (UnaryOperatorKind.Minus, _) when IsHyper(operand) => HyperNegate(operand, unary.Syntax),
            (UnaryOperatorKind.Plus, _) when IsHyper(operand) => operand,
            (_, _) when IsHyper(operand) => throw Error(Descriptors.HyperAsConstant, unary.Syntax, HyperName(operand), "in arithmetic"),
            (_, SymbolicDimValue s) => throw Error(Descriptors.SymbolicDimension, unary.Syntax, s.Symbol, "in arithmetic"),
            _ => throw Error(Descriptors.UnsupportedExpression, unary.Syntax, $"The operator '{unary.Syntax}' on {operand.Describe()}"),
        };
    }

    private Value EvalBinary(IBinaryOperation binary)
    {
        if (binary.OperatorKind is BinaryOperatorKind.ConditionalAnd or BinaryOperatorKind.ConditionalOr && binary.OperatorMethod is null)
        {
            bool left = Condition(binary.LeftOperand);
            if (binary.OperatorKind == BinaryOperatorKind.ConditionalAnd ? !left : left) return BoolValue.Of(left);
            return BoolValue.Of(Condition(binary.RightOperand));
        }
        if (binary.OperatorMethod is { } method && ApiSymbols.Is(method.ContainingType, Api.Tensor))
            return TensorBinary(binary.OperatorKind, binary.LeftOperand, binary.RightOperand, binary);
        return Binary(binary.OperatorKind, binary.OperatorMethod, Eval(binary.LeftOperand), Eval(binary.RightOperand), binary.Type, binary);
    }

    /// <summary>Compile-time arithmetic, comparison and string concatenation (C# semantics).</summary>
    private Value Binary(BinaryOperatorKind kind, IMethodSymbol? method, Value left, Value right, ITypeSymbol? type, IOperation at)
    {
        if (method is not null && !(method.ContainingType?.SpecialType == SpecialType.System_String))
        {
            if (left is TensorValue || right is TensorValue) return TensorBinaryValues(kind, left, right, at);
            throw Error(Descriptors.UnknownMethod, at.Syntax, method.ToDisplayString());
        }
        if (left is TensorValue || right is TensorValue) return TensorBinaryValues(kind, left, right, at);
        if (kind == BinaryOperatorKind.Add && (left is StringValue || right is StringValue))
            return new StringValue(Text(left) + Text(right));
        if (kind is BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals && left is SymbolicDimValue hl && right is SymbolicDimValue hr && hl.Symbol == hr.Symbol)
            return BoolValue.Of(kind == BinaryOperatorKind.Equals);
        if (HyperArithmetic(kind, left, right, type, at) is { } hyper) return hyper;
        if (left is SymbolicDimValue || right is SymbolicDimValue)
        {
            if (kind is BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals && left is SymbolicDimValue ls && right is SymbolicDimValue rs && ls.Symbol == rs.Symbol)
                return BoolValue.Of(kind == BinaryOperatorKind.Equals);
            var symbol = (left as SymbolicDimValue ?? (SymbolicDimValue)right).Symbol;
            if (kind is BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals or BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual
                or BinaryOperatorKind.GreaterThan or BinaryOperatorKind.GreaterThanOrEqual)
                return new RuntimeBoolValue($"it compares the symbolic dimension '{symbol}', known only at call time");
            throw Error(Descriptors.SymbolicDimension, at.Syntax, symbol, "in arithmetic");
        }
        if (left is BoolValue lb && right is BoolValue rb)
        {
            return kind switch
            {
                BinaryOperatorKind.And or BinaryOperatorKind.ConditionalAnd => BoolValue.Of(lb.Value & rb.Value),
                BinaryOperatorKind.Or or BinaryOperatorKind.ConditionalOr => BoolValue.Of(lb.Value | rb.Value),
                BinaryOperatorKind.ExclusiveOr => BoolValue.Of(lb.Value ^ rb.Value),
                BinaryOperatorKind.Equals => BoolValue.Of(lb.Value == rb.Value),
                BinaryOperatorKind.NotEquals => BoolValue.Of(lb.Value != rb.Value),
                _ => throw Error(Descriptors.UnsupportedExpression, at.Syntax, $"The operator {kind} on booleans"),
            };
        }
        if (left is StringValue ls2 && right is StringValue rs2 && kind is BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals)
            return BoolValue.Of((ls2.Value == rs2.Value) == (kind == BinaryOperatorKind.Equals));
        if (left is NullValue || right is NullValue)
        {
            if (kind is BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals)
                return BoolValue.Of((left is NullValue && right is NullValue) == (kind == BinaryOperatorKind.Equals));
        }
        if (left is IntValue li && right is IntValue ri && !IsFloating(type))
        {
            long a = li.Value, b = ri.Value;
            if (kind is BinaryOperatorKind.Divide or BinaryOperatorKind.Remainder && b == 0)
                throw Error(Descriptors.EvaluationError, at.Syntax, "division by zero");
            return kind switch
            {
                BinaryOperatorKind.Add => new IntValue(a + b),
                BinaryOperatorKind.Subtract => new IntValue(a - b),
                BinaryOperatorKind.Multiply => new IntValue(a * b),
                BinaryOperatorKind.Divide => new IntValue(a / b),
                BinaryOperatorKind.Remainder => new IntValue(a % b),
                BinaryOperatorKind.And => new IntValue(a & b),
                BinaryOperatorKind.Or => new IntValue(a | b),
                BinaryOperatorKind.ExclusiveOr => new IntValue(a ^ b),
                BinaryOperatorKind.LeftShift => new IntValue(a << (int)b),
                BinaryOperatorKind.RightShift => new IntValue(a >> (int)b),
                _ => Compare(kind, a, b, at),
            };
        }
        if (left is (IntValue or FloatValue) && right is (IntValue or FloatValue))
        {
            double a = AsDouble(left), b = AsDouble(right);
            return kind switch
            {
                BinaryOperatorKind.Add => Number(a + b, type),
                BinaryOperatorKind.Subtract => Number(a - b, type),
                BinaryOperatorKind.Multiply => Number(a * b, type),
                BinaryOperatorKind.Divide => Number(a / b, type),
                BinaryOperatorKind.Remainder => Number(a % b, type),
                _ => Compare(kind, a, b, at),
            };
        }
        throw Error(Descriptors.UnsupportedExpression, at.Syntax, $"The operator {kind} on {left.Describe()} and {right.Describe()}");
    }

    private Value Compare(BinaryOperatorKind kind, double a, double b, IOperation at) => kind switch
    {
        BinaryOperatorKind.Equals => BoolValue.Of(a == b),
        BinaryOperatorKind.NotEquals => BoolValue.Of(a != b),
        BinaryOperatorKind.LessThan => BoolValue.Of(a < b),
        BinaryOperatorKind.LessThanOrEqual => BoolValue.Of(a <= b),
        BinaryOperatorKind.GreaterThan => BoolValue.Of(a > b),
        BinaryOperatorKind.GreaterThanOrEqual => BoolValue.Of(a >= b),
        _ => throw Error(Descriptors.UnsupportedExpression, at.Syntax, $"The operator {kind}"),
    };

    private static double AsDouble(Value v) => v is IntValue i ? i.Value : ((FloatValue)v).Value;

    // ---- typed reads of compile-time values, with the diagnostic each misuse gets ----

    private long Int(IOperation op, string usage) => IntOf(Eval(op), op.Syntax, usage);

    private long IntOf(Value value, SyntaxNode at, string usage) => value switch
    {
        IntValue i => i.Value,
        _ when HyperMisuse(value, at, usage) is { } misuse => throw misuse,
        SymbolicDimValue s => throw Error(Descriptors.SymbolicDimension, at, s.Symbol, usage),
        _ => throw Error(Descriptors.EvaluationError, at, $"expected an integer {usage}, got {value.Describe()}"),
    };

    private double Float(IOperation op, string usage) => FloatOf(Eval(op), op.Syntax, usage);

    private double FloatOf(Value value, SyntaxNode at, string usage) => value switch
    {
        IntValue i => i.Value,
        _ when HyperMisuse(value, at, usage) is { } misuse => throw misuse,
        FloatValue f => f.Value,
        SymbolicDimValue s => throw Error(Descriptors.SymbolicDimension, at, s.Symbol, usage),
        _ => throw Error(Descriptors.EvaluationError, at, $"expected a number {usage}, got {value.Describe()}"),
    };

    private Node TensorOf(IOperation op) => TensorOf(Eval(op), op.Syntax);

    private Node TensorOf(Value value, SyntaxNode at) => value switch
    {
        TensorValue t => t.Node,
        _ => throw Error(Descriptors.NotATensor, at, value.Describe()),
    };
}
