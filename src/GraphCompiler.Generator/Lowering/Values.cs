using System.Globalization;
using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Generator.Lowering;

/// <summary>
/// What a C# expression in model code evaluates to at build time: a graph tensor or a compile-time
/// value. Arrays are shared by reference, like C# arrays.
/// </summary>
internal abstract class Value
{
    /// <summary>A short description for diagnostics.</summary>
    public abstract string Describe();
}

internal sealed class TensorValue(Node node) : Value
{
    public Node Node { get; } = node;

    public override string Describe() => $"tensor {Node.DType.ShortName()}{Node.Shape}";
}

internal sealed class IntValue(long value) : Value
{
    public long Value { get; } = value;

    public override string Describe() => Value.ToString(CultureInfo.InvariantCulture);
}

internal sealed class FloatValue(double value) : Value
{
    public double Value { get; } = value;

    public override string Describe() => Value.ToString("R", CultureInfo.InvariantCulture);
}

internal sealed class BoolValue(bool value) : Value
{
    public static readonly BoolValue True = new(true);
    public static readonly BoolValue False = new(false);

    public bool Value { get; } = value;

    public static BoolValue Of(bool b) => b ? True : False;

    public override string Describe() => Value ? "true" : "false";
}

internal sealed class StringValue(string value) : Value
{
    public string Value { get; } = value;

    public override string Describe() => "\"" + Value + "\"";
}

/// <summary><c>null</c>, <c>default</c>, or a local or array element never assigned.</summary>
internal sealed class NullValue : Value
{
    public static readonly NullValue Instance = new();

    public override string Describe() => "null or unassigned";
}

internal sealed class ArrayValue(Value[] items) : Value
{
    public Value[] Items { get; } = items;

    public override string Describe() => $"array of {Items.Length}";
}

internal sealed class TupleValue(Value[] items) : Value
{
    public Value[] Items { get; } = items;

    public override string Describe() => $"tuple of {Items.Length}";
}

/// <summary>The value of <c>tensor.Shape</c>.</summary>
internal sealed class ShapeValue(Shape shape) : Value
{
    public Shape Shape { get; } = shape;

    public override string Describe() => "shape " + Shape;
}

/// <summary>A symbolic dimension read from a shape: known only when an entry point is called.</summary>
internal sealed class SymbolicDimValue(string symbol) : Value
{
    public string Symbol { get; } = symbol;

    public override string Describe() => $"symbolic dimension '{Symbol}'";
}

/// <summary>
/// A number computed from hyperparameters (<c>0.5f / Dim</c>), known only when the model is constructed:
/// <see cref="Expression"/> is C# over the model's properties that the generated constructor evaluates
/// (in double precision).
/// </summary>
internal sealed class HyperScalarValue(string expression) : Value
{
    public string Expression { get; } = expression;

    public override string Describe() => $"the hyperparameter expression {Expression}";
}

/// <summary>
/// An initializer described by an <c>Init.*</c> call; the op seed is fixed when a variable uses it.
/// <see cref="AExpression"/> and <see cref="BExpression"/>, when set, replace <see cref="A"/> and
/// <see cref="B"/> with hyperparameter expressions evaluated at construction.
/// </summary>
internal sealed class InitializerValue(string kind, double[] values, double a, double b, int? seed, string? aExpression = null, string? bExpression = null) : Value
{
    public string? AExpression { get; } = aExpression;
    public string? BExpression { get; } = bExpression;
    public string Kind { get; } = kind;
    public double[] Values { get; } = values;
    public double A { get; } = a;
    public double B { get; } = b;
    public int? Seed { get; } = seed;

    public bool IsRandom => Kind is "random_normal" or "random_uniform" or "truncated_normal" or "glorot_uniform";

    public override string Describe() => "initializer " + Kind;
}

/// <summary>An open name or variable scope, closed when its using ends.</summary>
internal sealed class ScopeValue(ScopeFrame frame) : Value
{
    public ScopeFrame Frame { get; } = frame;

    public override string Describe() => Frame.IsVariableScope ? $"variable scope '{Frame.VariableScopeName}'" : "name scope";
}

/// <summary>A condition that depends on a symbolic dimension, so it is decided only at call time.</summary>
internal sealed class RuntimeBoolValue(string reason) : Value
{
    public string Reason { get; } = reason;

    public override string Describe() => Reason;
}

/// <summary>
/// A layer described in model code (<c>Layers.Dense(10)</c>) and not yet applied: its kind and its
/// arguments. Its variable scope is fixed when it is first applied, so applying it again shares its variables.
/// </summary>
internal sealed class LayerValue(string kind, object arguments, string? name) : Value
{
    public string Kind { get; } = kind;

    /// <summary>The bound arguments of the call that described the layer (the evaluator's own type).</summary>
    public object Arguments { get; } = arguments;

    /// <summary>The name given to the layer, or null for Keras's automatic one.</summary>
    public string? Name { get; } = name;

    /// <summary>The full variable-scope path of the layer once applied (<c>encoder/dense_1</c>).</summary>
    public string? Scope { get; set; }

    public override string Describe() => "layer " + Kind;
}
