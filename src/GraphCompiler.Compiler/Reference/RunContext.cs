using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Reference;

/// <summary>
/// What one run of a graph knows beyond its inputs and variables: whether it is the train step
/// (dropout and other training-only behaviour apply), the model's graph-level seed and the global
/// step that keys per-step random streams. Generated code reads the same three values from the
/// model (<c>Seed</c>, <c>GlobalStep</c>, and whether the entry is <c>TrainStep</c>).
/// </summary>
public sealed class RunContext
{
    public RunContext(bool isTraining, ulong graphSeed, ulong step, IReadOnlyDictionary<string, int>? dims = null)
    {
        IsTraining = isTraining;
        GraphSeed = graphSeed;
        Step = step;
        Dims = dims ?? new Dictionary<string, int>();
    }

    /// <summary>An inference run with seed 0 at step 0: what <see cref="Interpreter"/> assumes when given no context.</summary>
    public static RunContext Inference { get; } = new(false, 0, 0);

    public bool IsTraining { get; }

    public ulong GraphSeed { get; }

    public ulong Step { get; }

    /// <summary>The run's symbol sizes (call-time dims and hyperparameters), as the interpreter binds them from inputs and variables.</summary>
    public IReadOnlyDictionary<string, int> Dims { get; }

    /// <summary>This context with <paramref name="dims"/> as its symbol sizes.</summary>
    public RunContext WithDims(IReadOnlyDictionary<string, int> dims) => new(IsTraining, GraphSeed, Step, dims);
}

/// <summary>
/// An op whose value depends on the run as well as on its inputs (dropout). The interpreter calls
/// this overload; the plain <see cref="Ops.OpDef.Evaluate"/> of such an op refuses to guess a context.
/// </summary>
public interface IRunDependentOp
{
    RefTensor Evaluate(IReadOnlyList<RefTensor> inputs, Attrs attrs, int[] outShape, RunContext run);
}
