using GraphCompiler.Compiler.Emit;
using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Kernels;

namespace GraphCompiler.Compiler.Passes;

/// <summary>
/// One entry point after the pipeline: the simplified graph, its kernels in schedule order (fusion's
/// plan and their back-end-neutral descriptions, index for index) and its memory plan. A renderer needs
/// nothing else.
/// </summary>
public sealed record CompiledEntry(Graph Graph, IReadOnlyList<Kernel> Kernels, IReadOnlyList<KernelDescription> Descriptions, MemoryPlan Memory);
