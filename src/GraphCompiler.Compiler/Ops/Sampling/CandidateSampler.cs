using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Ops;

/// <summary>
/// <c>tf.random.log_uniform_candidate_sampler(unique=True)</c>'s sampled ids: int32 [num_sampled],
/// distinct, in draw order, P(k) = log((k + 2)/(k + 1)) / log(range_max + 1) before uniqueness.
/// See <see cref="CandidateSamplerBase"/> for the stream and why it is a primitive.
/// </summary>
public sealed class CandidateSampler : CandidateSamplerBase
{
    public override string Name => "candidate_sampler";

    public override (DType DType, Shape Shape) InferType(IReadOnlyList<Node> inputs, Attrs attrs)
    {
        ExpectArity(inputs, 0, Name);
        return (DType.Int32, Shape.Of(Read(attrs).NumSampled));
    }

    protected override RefTensor Result(int[] ids, int tries, int[] outShape) =>
        new(DType.Int32, outShape, ids.Select(i => (double)i).ToArray());

    public override void EmitCpu(Emit.CpuKernelContext ctx) =>
        ctx.Line($"GraphCompiler.Runtime.Execution.CpuOps.LogUniformCandidates({ctx.Write}, {DrawArguments(ctx)});");
}
