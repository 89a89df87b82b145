using GraphCompiler.Compiler.Ops;

namespace GraphCompiler.Compiler.IR;

/// <summary>
/// One result of a loop node (<see cref="LoopOp"/>): <c>index</c> &lt; states is a final state, the rest
/// are the per-step outputs stacked as <c>[batch, time, ...]</c>. Its gradient flows to the loop as a
/// whole: autodiff gathers the gradients of all projections of a loop and builds one reverse loop.
/// </summary>
public sealed class LoopOutput : OpDef
{
    public override string Name => "loop_output";

    public override OpClass Class => OpClass.Opaque;

    public override bool HasGradient => true;

    public override (DType DType, Shape Shape) InferType(IReadOnlyList<Node> inputs, Attrs attrs)
    {
        ExpectArity(inputs, 1, Name);
        if (inputs[0].Op is not LoopOp loop) throw new ShapeException($"loop_output reads a loop, got {inputs[0].OpName}");
        int index = attrs.GetInt("index");
        if (index < 0 || index >= loop.ResultCount) throw new ShapeException($"loop {inputs[0].Name} has {loop.ResultCount} results, asked for {index}");
        return (loop.ResultNode(index).DType, loop.ResultShape(inputs[0], index));
    }

    public override RefTensor Evaluate(IReadOnlyList<RefTensor> inputs, Attrs attrs, int[] outShape) =>
        throw new InvalidOperationException("loop_output is read off its loop's results by the interpreter");

    // The loop's projections are differentiated together (LoopAutodiff); nothing flows through this node alone.
    public override IReadOnlyList<Node?> Gradient(GraphBuilder g, Node node, Node dy) => new Node?[] { null };
}
