using System.Globalization;
using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Random;
using GraphCompiler.Compiler.Reference;

namespace GraphCompiler.Compiler.Ops;

/// <summary>
/// What the two nodes of one log-uniform candidate draw share: the attributes <c>num_sampled</c>,
/// <c>range_max</c> and op <c>seed</c>, and the draw itself (<see cref="LogUniformCandidates"/>, keyed by
/// graph seed, op seed and global step). A node has one output, so the ids and the number of tries
/// are two nodes that each recompute the same draw (a few dozen Philox blocks per step).
/// Primitives because the candidates must come from the counter-based stream, not from other ops.
/// No inputs, no gradient: the ids are indices and the tries a count.
/// </summary>
public abstract class CandidateSamplerBase : OpDef, IRunDependentOp
{
    public override OpClass Class => OpClass.Opaque;

    /// <summary>The attributes of a draw of <paramref name="numSampled"/> distinct ids out of <paramref name="rangeMax"/>.</summary>
    public static Attrs Of(int numSampled, int rangeMax, long seed) =>
        Attrs.Of(("num_sampled", numSampled), ("range_max", rangeMax), ("seed", seed));

    protected (int NumSampled, int RangeMax, long Seed) Read(Attrs attrs)
    {
        int numSampled = attrs.GetInt("num_sampled"), rangeMax = attrs.GetInt("range_max");
        if (rangeMax < 1) throw new ShapeException($"{Name}: range_max must be at least 1, got {rangeMax}");
        if (numSampled < 1 || numSampled > rangeMax)
            throw new ShapeException($"{Name}: num_sampled must be in [1, range_max = {rangeMax}] for a unique sample, got {numSampled}");
        return (numSampled, rangeMax, attrs.GetLong("seed"));
    }

    public override RefTensor Evaluate(IReadOnlyList<RefTensor> inputs, Attrs attrs, int[] outShape) =>
        throw new InvalidOperationException($"{Name} depends on the run (seed, step); evaluate it through the interpreter with a RunContext");

    public RefTensor Evaluate(IReadOnlyList<RefTensor> inputs, Attrs attrs, int[] outShape, RunContext run)
    {
        var (numSampled, rangeMax, seed) = Read(attrs);
        var ids = new int[numSampled];
        int tries = LogUniformCandidates.Draw(rangeMax, run.GraphSeed, unchecked((ulong)seed), run.Step, ids);
        return Result(ids, tries, outShape);
    }

    /// <summary>This node's value given the draw.</summary>
    protected abstract RefTensor Result(int[] ids, int tries, int[] outShape);

    /// <summary>The C# arguments (range, graph seed, op seed, step) of the runtime's draw.</summary>
    protected static string DrawArguments(Emit.CpuKernelContext ctx)
    {
        var seed = unchecked((ulong)ctx.Node.Attrs.GetLong("seed")).ToString(CultureInfo.InvariantCulture);
        return $"{ctx.Node.Attrs.GetInt("range_max").ToString(CultureInfo.InvariantCulture)}, {ctx.GraphSeed}, {seed}UL, {ctx.Step}";
    }
}
