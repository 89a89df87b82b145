using GraphCompiler.Compiler.Random;

namespace GraphCompiler.Runtime.Execution;

public static partial class CpuOps
{
    // One scratch array per thread: the shared draw takes an array, and a step must not allocate.
    [ThreadStatic] private static int[]? _candidateScratch;

    /// <summary>
    /// Fills <paramref name="ids"/> with distinct log-uniform candidates out of <paramref name="rangeMax"/>
    /// from the stream of (graph seed, op seed, step), as <see cref="LogUniformCandidates.Draw"/>.
    /// </summary>
    public static void LogUniformCandidates(Span<int> ids, int rangeMax, ulong graphSeed, ulong opSeed, ulong step)
    {
        var scratch = Scratch(ids.Length);
        Compiler.Random.LogUniformCandidates.Draw(rangeMax, graphSeed, opSeed, step, scratch);
        scratch.AsSpan().CopyTo(ids);
    }

    /// <summary>The number of draws the same sample took (TF's <c>num_tries</c>).</summary>
    public static float LogUniformCandidateTries(int numSampled, int rangeMax, ulong graphSeed, ulong opSeed, ulong step) =>
        Compiler.Random.LogUniformCandidates.Draw(rangeMax, graphSeed, opSeed, step, Scratch(numSampled));

    private static int[] Scratch(int length)
    {
        var scratch = _candidateScratch;
        if (scratch is null || scratch.Length != length) _candidateScratch = scratch = new int[length];
        return scratch;
    }
}
