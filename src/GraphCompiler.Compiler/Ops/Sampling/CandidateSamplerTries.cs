using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Ops;

/// <summary>
/// The number of draws the <see cref="CandidateSampler"/> with the same attributes made (TF's
/// <c>num_tries</c>) as a float32 scalar, for the expected counts 1 − (1 − P(k))^tries.
/// It recomputes the same draw (see <see cref="CandidateSamplerBase"/>).
/// </summary>
public sealed class CandidateSamplerTries : CandidateSamplerBase
{
    public override string Name => "candidate_sampler_tries";

    public override (DType DType, Shape Shape) InferType(IReadOnlyList<Node> inputs, Attrs attrs)
    {
        ExpectArity(inputs, 0, Name);
        Read(attrs);
        return (DType.Float32, Shape.Scalar);
    }

    protected override RefTensor Result(int[] ids, int tries, int[] outShape) =>
        new(DType.Float32, outShape, new double[] { tries });

    public override void EmitCpu(Emit.CpuKernelContext ctx) =>
        ctx.Line($"{ctx.Write}[0] = GraphCompiler.Runtime.Execution.CpuOps.LogUniformCandidateTries({ctx.Node.Attrs.GetInt("num_sampled")}, {DrawArguments(ctx)});");
}
