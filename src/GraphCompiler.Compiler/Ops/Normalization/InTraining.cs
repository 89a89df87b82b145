using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Reference;

namespace GraphCompiler.Compiler.Ops;

/// <summary>
/// <c>in_training(a, b)</c>: a in the train step, b in every other entry point (the same graph serves
/// both, as dropout does). Batch normalization picks its statistics with it — the batch's while training,
/// the moving averages otherwise — and its moving-average updates assign <c>in_training(new, old)</c>, so
/// only the train step changes them. A primitive because no arithmetic of other ops depends on the entry point.
/// Gradient: dy to a (only the train step is differentiated, and there the value is a).
/// </summary>
public sealed class InTraining : OpDef, IRunDependentOp
{
    public override string Name => "in_training";
    public override OpClass Class => OpClass.Opaque;
    public override bool HasGradient => true;

    public override (DType DType, Shape Shape) InferType(IReadOnlyList<Node> inputs, Attrs attrs)
    {
        ExpectArity(inputs, 2, Name);
        if (inputs[0].DType != inputs[1].DType || !inputs[0].Shape.Equals(inputs[1].Shape))
            throw new ShapeException($"{Name}: both values must have one dtype and shape, got {inputs[0].DType.ShortName()}{inputs[0].Shape} and {inputs[1].DType.ShortName()}{inputs[1].Shape}");
        return (inputs[0].DType, inputs[0].Shape);
    }

    public override IReadOnlyList<Node?> Gradient(GraphBuilder g, Node node, Node dy) => new Node?[] { dy, null };

    public override RefTensor Evaluate(IReadOnlyList<RefTensor> inputs, Attrs attrs, int[] outShape) =>
        throw new InvalidOperationException("in_training depends on the entry point; evaluate it through the interpreter with a RunContext");

    public RefTensor Evaluate(IReadOnlyList<RefTensor> inputs, Attrs attrs, int[] outShape, RunContext run)
    {
        var chosen = inputs[run.IsTraining ? 0 : 1];
        return new RefTensor(chosen.DType, outShape, (double[])chosen.Data.Clone());
    }

    public override void EmitCpu(Emit.CpuKernelContext ctx) =>
        ctx.Line($"{ctx.In(ctx.IsTraining ? 0 : 1)}.CopyTo({ctx.Write});");
}
