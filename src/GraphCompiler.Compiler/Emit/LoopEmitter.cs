using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Passes;

namespace GraphCompiler.Compiler.Emit;

/// <summary>
/// Code generation for loop regions. The loop runs in the reference interpreter and differentiates
/// (BPTT); the CPU and device renderers have no lowering for it yet, so an entry that holds one is refused
/// with GC0610 at the loop's source line rather than miscompiled.
/// </summary>
internal static class LoopEmitter
{
    /// <summary>Throws GC0610 for the first loop region of <paramref name="g"/>.</summary>
    public static void RefuseLoops(Graph g, string method)
    {
        if (g.Nodes.FirstOrDefault(n => n.Op is LoopOp) is not { } loop) return;
        throw new CompileException("GC0610",
            $"'{method}' holds a loop over a symbolic dimension ({loop.Name}); loop regions run in the reference interpreter only so far: the CPU and device back ends do not generate code for them yet. Give the loop a constant bound to unroll it",
            loop.Source);
    }
}
