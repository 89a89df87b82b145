using System.Globalization;
using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Random;
using GraphCompiler.Compiler.Reference;

namespace GraphCompiler.Compiler.Ops;

/// <summary>
/// What the two nodes of one log-uniform candidate draw share: the attributes <c>num_sampled</c>,
/// <c>range_max</c> (or <c>range_dim</c>, a dimension hyperparameter whose value the generated code reads
/// from the model) and op <c>seed</c>, and the draw itself (<see cref="LogUniformCandidates"/>, keyed by
/// graph seed, op seed and global step). A node has one output, so the ids and the number of tries
/// are two nodes that each recompute the same draw (a few dozen Philox blocks per step).
/// Primitives because the candidates must come from the counter-based stream, not from other ops.
/// No inputs, no gradient: the ids are indices and the tries a count.
/// </summary>
public abstract class CandidateSamplerBase : OpDef, IRunDependentOp
{
    public override OpClass Class => OpClass.Opaque;

    /// <summary>The attributes of a draw of <paramref name="numSampled"/> distinct ids out of <paramref name="rangeMax"/>.</summary>
    public static Attrs Of(int numSampled, Dim rangeMax, long seed) => rangeMax.IsStatic
        ? Attrs.Of(("num_sampled", numSampled), ("range_max", rangeMax.Size), ("seed", seed))
        : Attrs.Of(("num_sampled", numSampled), ("range_dim", rangeMax.Symbol!), ("seed", seed));

    /// <summary>The attributes; <c>RangeMax</c> is -1 where the range is the symbol <c>RangeDim</c>, bound at run time.</summary>
    protected (int NumSampled, int RangeMax, string? RangeDim, long Seed) Read(Attrs attrs)
    {
        int numSampled = attrs.GetInt("num_sampled");
        var rangeDim = attrs.GetStringOrNull("range_dim");
        int rangeMax = rangeDim is null ? attrs.GetInt("range_max") : -1;
        if (rangeDim is null && rangeMax < 1) throw new ShapeException($"{Name}: range_max must be at least 1, got {rangeMax}");
        // A range known at run time is checked by the draw (LogUniformCandidates.Draw).
        if (numSampled < 1 || (rangeDim is null && numSampled > rangeMax))
            throw new ShapeException($"{Name}: num_sampled must be in [1, range_max = {rangeDim ?? rangeMax.ToString(CultureInfo.InvariantCulture)}] for a unique sample, got {numSampled}");
        return (numSampled, rangeMax, rangeDim, attrs.GetLong("seed"));
    }

    public override RefTensor Evaluate(IReadOnlyList<RefTensor> inputs, Attrs attrs, int[] outShape) =>
        throw new InvalidOperationException($"{Name} depends on the run (seed, step); evaluate it through the interpreter with a RunContext");

    public RefTensor Evaluate(IReadOnlyList<RefTensor> inputs, Attrs attrs, int[] outShape, RunContext run)
    {
        var (numSampled, rangeMax, rangeDim, seed) = Read(attrs);
        if (rangeDim is not null && !run.Dims.TryGetValue(rangeDim, out rangeMax))
            throw new ArgumentException($"{Name}: the run binds no size for its range {rangeDim}");
        var ids = new int[numSampled];
        int tries = LogUniformCandidates.Draw(rangeMax, run.GraphSeed, unchecked((ulong)seed), run.Step, ids);
        return Result(ids, tries, outShape);
    }

    /// <summary>This node's value given the draw.</summary>
    protected abstract RefTensor Result(int[] ids, int tries, int[] outShape);

    /// <summary>
    /// The C# arguments (range, graph seed, op seed, step) of the runtime's draw. A hyperparameter range is the
    /// model's property of that name, which kernels read as they read <c>Seed</c>.
    /// </summary>
    protected static string DrawArguments(Emit.CpuKernelContext ctx) => DrawArguments(ctx.Node.Attrs, ctx.GraphSeed, ctx.Step);

    /// <summary>The same arguments for any back end, given how it spells the graph seed and the step.</summary>
    internal static string DrawArguments(Attrs attrs, string graphSeed, string step)
    {
        var seed = unchecked((ulong)attrs.GetLong("seed")).ToString(CultureInfo.InvariantCulture);
        var range = attrs.GetStringOrNull("range_dim") ?? attrs.GetInt("range_max").ToString(CultureInfo.InvariantCulture);
        return $"{range}, {graphSeed}, {seed}UL, {step}";
    }
}
