using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Ops;

/// <summary>Base of the logical ops on bool tensors (broadcasting). No gradient: bools carry none.</summary>
public abstract class LogicalOp : ElementwiseOp
{
    public override (DType DType, Shape Shape) InferType(IReadOnlyList<Node> inputs, Attrs attrs)
    {
        ExpectArity(inputs, Arity, Name);
        MathOpSupport.RequireBool(inputs, Name);
        return base.InferType(inputs, attrs);
    }
}
