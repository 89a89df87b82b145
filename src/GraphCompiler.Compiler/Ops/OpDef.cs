using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Ops;

/// <summary>
/// How fusion and the emitters treat an op. Fusion reads the class, never the op's identity.
/// </summary>
public enum OpClass
{
    /// <summary>Produces a value from outside the graph: placeholders, variables, constants.</summary>
    Source,

    /// <summary>Output element i depends only on input elements at the broadcast of i.</summary>
    Elementwise,

    /// <summary>Reduces over axes (sum, max, ...); fusable as a prologue/epilogue later.</summary>
    Reduction,

    /// <summary>Moves or replicates elements without arithmetic (reshape, transpose, broadcast).</summary>
    Injective,

    /// <summary>A library call with its own loops (matmul).</summary>
    Opaque,

    /// <summary>Updates state (assign); runs after all outputs of its graph.</summary>
    Effect,
}

/// <summary>
/// Everything about one op in one place: its name, class, shape/dtype rule, reference evaluation,
/// gradient rule and CPU lowering. Adding an op is one subclass plus one line in <see cref="OpRegistry"/>.
/// </summary>
public abstract class OpDef
{
    /// <summary>The IR name, lower_snake as TensorFlow users read it in graphs (<c>reduce_sum</c>).</summary>
    public abstract string Name { get; }

    public abstract OpClass Class { get; }

    /// <summary>The dtype and shape of the result; throws <see cref="ShapeException"/> on bad inputs.</summary>
    public abstract (DType DType, Shape Shape) InferType(IReadOnlyList<Node> inputs, Attrs attrs);

    /// <summary>
    /// The gradients with respect to each input given the gradient <paramref name="dy"/> of the
    /// output (null where an input gets none). Ops without a gradient leave this throwing.
    /// </summary>
    public virtual IReadOnlyList<Node?> Gradient(GraphBuilder g, Node node, Node dy) =>
        throw new NoGradientException(node);

    /// <summary>True when <see cref="Gradient"/> is implemented.</summary>
    public virtual bool HasGradient => false;

    /// <summary>Reference semantics in double precision (the interpreter and gradient checks use it).</summary>
    public abstract RefTensor Evaluate(IReadOnlyList<RefTensor> inputs, Attrs attrs, int[] outShape);

    /// <summary>
    /// Emits this op as a library-call kernel (ops that are not fused elementwise). Fused
    /// elementwise ops emit through <see cref="ElementwiseOp.CSharp"/> instead.
    /// </summary>
    public virtual void EmitCpu(Emit.CpuKernelContext ctx) =>
        throw new NotSupportedException($"op '{Name}' has no CPU lowering");

    /// <summary>
    /// How a reduction op folds its elements (sum, max, …), so kernels can fold it in their loops; null
    /// for ops that are not such a fold.
    /// </summary>
    public virtual Kernels.ReductionFold? Fold => null;

    public override string ToString() => Name;

    protected static void ExpectArity(IReadOnlyList<Node> inputs, int n, string op)
    {
        if (inputs.Count != n) throw new ShapeException($"{op} takes {n} input(s), got {inputs.Count}");
    }
}

/// <summary>A shape or dtype rule was violated; the message names the op and the shapes.</summary>
public sealed class ShapeException : Exception
{
    public ShapeException(string message) : base(message) { }
}

/// <summary>Differentiation reached an op without a gradient rule.</summary>
public sealed class NoGradientException : Exception
{
    public NoGradientException(Node node) : base($"op '{node.OpName}' ({node.Name}) has no gradient")
    {
        Node = node;
    }

    public Node Node { get; }
}
