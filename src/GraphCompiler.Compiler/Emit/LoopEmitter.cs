using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Ops;
using GraphCompiler.Compiler.Passes;
using GraphCompiler.Compiler.Reference;

namespace GraphCompiler.Compiler.Emit;

/// <summary>
/// What code generation for loop regions still refuses (GC0610, at the loop's source line): a body that
/// draws random numbers. Its ops are keyed by the training step, not by the time step, so every step would
/// draw the same mask; the generated loop would agree with the interpreter but not with per-step dropout.
/// </summary>
internal static class LoopEmitter
{
    /// <summary>Throws GC0610 when <paramref name="loop"/>'s body (or a loop nested in it) holds an op that draws random numbers.</summary>
    public static void RefuseUngenerated(Node loop)
    {
        if (RandomOp(((LoopOp)loop.Op).Body) is not { } random) return;
        throw new CompileException("GC0610",
            $"the loop over a symbolic dimension ({loop.Name}) draws random numbers in its body ({random.OpName} {random.Name}); loop bodies with random ops have no generated code yet, as every step would draw the same numbers. Draw the mask once outside the loop (a variational mask), or give the loop a constant bound to unroll it",
            loop.Source);
    }

    private static Node? RandomOp(Graph body) =>
        body.Nodes.FirstOrDefault(n => n.Op is IRunDependentOp and not LoopOp and not InTraining)
        ?? body.Nodes.Where(n => n.Op is LoopOp).Select(n => RandomOp(((LoopOp)n.Op).Body)).FirstOrDefault(r => r is not null);
}
