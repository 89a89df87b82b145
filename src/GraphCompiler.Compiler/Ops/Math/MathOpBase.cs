using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Ops;

/// <summary>
/// Shared pieces of the math family's ops: dtype checks, and reference evaluation for ops whose
/// result dtype is not the first input's.
/// </summary>
public static class MathOpSupport
{
    /// <summary>The runtime class that the library calls of the math family (reductions, dropout) still name.</summary>
    public const string CpuOps = "GraphCompiler.Runtime.Execution.CpuOps";

    /// <summary>Throws unless every input is a float tensor (the op is defined on reals only).</summary>
    public static void RequireFloat(IReadOnlyList<Node> inputs, string op)
    {
        foreach (var i in inputs)
            if (!i.DType.IsFloat())
                throw new ShapeException($"{op} needs a float tensor (f32 or f64), got {i.DType.ShortName()}{i.Shape}; cast it first with Cast");
    }

    /// <summary>Throws unless every input is numeric (not bool).</summary>
    public static void RequireNumeric(IReadOnlyList<Node> inputs, string op)
    {
        foreach (var i in inputs)
            if (i.DType == DType.Bool)
                throw new ShapeException($"{op} needs a numeric tensor, got {i.DType.ShortName()}{i.Shape}; cast it first with Cast");
    }

    /// <summary>Throws unless every input is bool.</summary>
    public static void RequireBool(IReadOnlyList<Node> inputs, string op)
    {
        foreach (var i in inputs)
            if (i.DType != DType.Bool)
                throw new ShapeException($"{op} needs bool tensors, got {i.DType.ShortName()}{i.Shape}; compare first (e.g. Greater) or Cast to Bool");
    }

    /// <summary>Applies <paramref name="f"/> elementwise with broadcasting, rounding results to <paramref name="dtype"/>.</summary>
    public static RefTensor Map(DType dtype, IReadOnlyList<RefTensor> inputs, int[] outShape, Func<double[], double> f)
    {
        long n = RefTensor.Count(outShape);
        var result = new double[n];
        var args = new double[inputs.Count];
        for (long i = 0; i < n; i++)
        {
            for (int k = 0; k < inputs.Count; k++)
                args[k] = inputs[k].Data[RefTensor.BroadcastIndex(i, outShape, inputs[k].Shape)];
            result[i] = RefTensor.Round(dtype, f(args));
        }
        return new RefTensor(dtype, outShape, result);
    }

    /// <summary>A scalar zero of the dtype, for masked gradients (<c>where(c, dy, 0)</c>).</summary>
    public static Node Zero(GraphBuilder g, DType t) => g.Scalar(0, t);

    /// <summary><c>where(condition, a, b)</c>.</summary>
    public static Node Where(GraphBuilder g, Node condition, Node a, Node b) => g.Apply("where", new[] { condition, a, b });
}

/// <summary>An elementwise op on numbers of any dtype but bool (max, relu, …): the shared shape rule with that check.</summary>
public abstract class NumericElementwiseOp : ElementwiseOp
{
    public override (DType DType, Shape Shape) InferType(IReadOnlyList<Node> inputs, Attrs attrs)
    {
        MathOpSupport.RequireNumeric(inputs, Name);
        return base.InferType(inputs, attrs);
    }
}

/// <summary>An elementwise op of one float input; subclasses give the formula, its C# and the gradient.</summary>
public abstract class UnaryFloatOp : ElementwiseOp
{
    public override int Arity => 1;

    public override bool HasGradient => true;

    public override (DType DType, Shape Shape) InferType(IReadOnlyList<Node> inputs, Attrs attrs)
    {
        ExpectArity(inputs, 1, Name);
        MathOpSupport.RequireFloat(inputs, Name);
        return (inputs[0].DType, inputs[0].Shape);
    }
}
