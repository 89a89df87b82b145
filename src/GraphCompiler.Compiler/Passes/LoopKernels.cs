using GraphCompiler.Compiler.Emit;
using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Kernels;
using GraphCompiler.Compiler.Ops;

namespace GraphCompiler.Compiler.Passes;

/// <summary>
/// Loop regions in the kernel plan. Fusion leaves a loop node and each of its projections as kernels of
/// their own; <see cref="Merge"/> makes them one kernel that stores the projections (the loop node itself
/// is a tuple and holds no storage), and <see cref="Lower"/> describes it as a <see cref="LoopCall"/>
/// whose body went through the same pipeline as an entry point (fusion, row kernels, memory plan).
/// </summary>
public static class LoopKernels
{
    /// <summary>The kernels with every loop and its projections as one kernel, at the loop's place in the schedule.</summary>
    public static IReadOnlyList<Kernel> Merge(IReadOnlyList<Kernel> kernels)
    {
        if (!kernels.Any(k => k.Members[0].Op is LoopOp)) return kernels;
        var projections = kernels.Where(k => k.Members[0].Op is LoopOutput).ToLookup(k => k.Members[0].Inputs[0]);
        var result = new List<Kernel>();
        foreach (var k in kernels)
        {
            var first = k.Members[0];
            if (first.Op is LoopOutput) continue;
            if (first.Op is not LoopOp)
            {
                result.Add(new Kernel(result.Count, k.Members, k.Outputs, k.IsFused, k.Deferred, k.IsBiasGradient, k.RowSpace));
                continue;
            }
            var outputs = projections[first].Select(p => p.Members[0]).OrderBy(p => p.Attrs.GetInt("index")).ToList();
            result.Add(new Kernel(result.Count, new[] { first }.Concat(outputs).ToList(), outputs, fused: false, deferred: false));
        }
        return result;
    }

    /// <summary>
    /// Kernel lowering with loop regions: each loop's body is compiled by <paramref name="compileBody"/>
    /// (the pipeline, for the same back end); other kernels lower as <see cref="LowerKernelsPass"/> does.
    /// </summary>
    public static IReadOnlyList<KernelDescription> Lower(IReadOnlyList<Kernel> kernels, BackendCapabilities capabilities, Func<Graph, CompiledEntry> compileBody) =>
        kernels.Select(k => k.Members[0].Op is LoopOp ? LowerLoop(k, capabilities, compileBody) : LowerKernelsPass.Lower(k)).ToList();

    private static LoopCall LowerLoop(Kernel k, BackendCapabilities capabilities, Func<Graph, CompiledEntry> compileBody)
    {
        var loop = k.Members[0];
        LoopEmitter.RefuseUngenerated(loop);
        var operands = loop.Inputs.Distinct().Select(i => new KernelOperand(i, IndexMap.Contiguous)).ToList();
        return new LoopCall(k, operands, compileBody(((LoopOp)loop.Op).Body));
    }

    /// <summary>The descriptions of <paramref name="kernels"/> and of every loop body in them, nested bodies included.</summary>
    public static IEnumerable<KernelDescription> WithBodies(IEnumerable<KernelDescription> kernels) =>
        kernels.SelectMany(k => k is LoopCall loop ? new[] { k }.Concat(WithBodies(loop.Body.Descriptions)) : new[] { k });

    /// <summary>The arena buffers of the loop bodies in <paramref name="kernels"/> (each body has its own arena, used at every step).</summary>
    public static IEnumerable<Node> BodyBuffers(IEnumerable<KernelDescription> kernels) =>
        kernels.OfType<LoopCall>().SelectMany(l => l.Body.Memory.Buffers.Select(b => b.Value).Concat(BodyBuffers(l.Body.Descriptions)));
}

/// <summary>
/// A loop region as one kernel of the schedule: the loop node, the projections it stores (final states and
/// stacked per-step outputs, in result order; results nothing reads are not stored) and its body compiled
/// as a program of its own, run once per step.
/// </summary>
public sealed class LoopCall : KernelDescription
{
    internal LoopCall(Kernel source, IReadOnlyList<KernelOperand> operands, CompiledEntry body)
        : base(source, new IterationSpace(IterationKind.Library, Shape.Scalar), operands, Array.Empty<Node>())
    {
        Body = body;
    }

    /// <summary>The loop node (its inputs: initial states, sequences, invariants).</summary>
    public Node Node => Source.Members[0];

    public LoopOp Op => (LoopOp)Node.Op;

    /// <summary>The body after the pipeline: its kernels and its own memory plan.</summary>
    public CompiledEntry Body { get; }

    /// <summary>The projection that stores result <paramref name="index"/>, or null when nothing reads it.</summary>
    public Node? Result(int index) => Outputs.FirstOrDefault(o => o.Attrs.GetInt("index") == index);
}
